/**
 * Guessing who is the server of a connection whose SYN was not captured (mid-stream pickup), when
 * the protocol stage had no opinion from the payload (TrackerOptions.guessRole) or there was no
 * payload: a well-known HTTP port, else the lower port, is the server's (clients use ephemeral
 * ports, 32768+ on Linux, 49152+ elsewhere). The tcp stage never reads payload itself.
 */

/** Ports HTTP servers commonly listen on, dev servers included. */
export const WELL_KNOWN_SERVER_PORTS: ReadonlySet<number> = new Set([
  80, 443, 591, 3000, 3001, 4000, 4200, 5000, 5173, 8000, 8008, 8080, 8081, 8443, 8888, 9000, 9090,
]);

/**
 * Which of two ports is the server's: `a` (the first seen segment's source port) or `b` (its
 * destination port). A well-known port wins over an unknown one; otherwise the lower port; on a
 * tie the destination of the first segment.
 */
export function serverPort(a: number, b: number): 'a' | 'b' {
  const knownA = WELL_KNOWN_SERVER_PORTS.has(a);
  const knownB = WELL_KNOWN_SERVER_PORTS.has(b);
  if (knownA !== knownB) return knownA ? 'a' : 'b';
  return a < b ? 'a' : 'b';
}

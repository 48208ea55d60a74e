/**
 * Address fallback after a refused connection: Node.js 20's `autoSelectFamily` (on by default, RFC
 * 8305 "happy eyeballs") and curl try each address a name resolves to; when `localhost` gives `::1`
 * first and the server listens on 127.0.0.1 only, the SYN to `::1` is answered by RST and the
 * client connects to 127.0.0.1 at once. The refused attempt cost a round trip, not an error: the
 * application never saw ECONNREFUSED. A fallback is the next connection to the same port on
 * another address, opened within FALLBACK_WINDOW of the RST.
 */
import type { ConnectionRecord } from './connection.js';

/** Seconds after the RST within which the client's next attempt counts as its fallback (Node moves on at once). */
export const FALLBACK_WINDOW = 0.3;
/** Refused connections watched at once: a port scan refused by the thousand keeps no more. */
const MAX_WATCHED = 64;

export class FallbackWatch {
  private watched: Array<{ record: ConnectionRecord; since: number }> = [];

  /** `record` was just refused (its SYN answered by RST at `time`): watch for the client's next attempt. */
  refused(record: ConnectionRecord, time: number): void {
    if (this.watched.some((w) => w.record === record)) return;
    if (this.watched.length >= MAX_WATCHED) this.watched.shift();
    this.watched.push({ record, since: time });
  }

  /** A connection opened (its first segment, at `time`): the fallback of any watched refusal it matches. */
  opened(record: ConnectionRecord, time: number): void {
    if (this.watched.length === 0) return;
    this.watched = this.watched.filter((w) => time - w.since <= FALLBACK_WINDOW);
    for (const w of this.watched) {
      const refused = w.record;
      if (refused.handshake.fallback != null || refused.server.port !== record.server.port || refused.server.ip === record.server.ip) continue;
      refused.handshake.fallback = record.id;
    }
  }
}

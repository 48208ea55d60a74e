import type { SettlingLink, SettlingList } from './settling.js';

/**
 * What is left in the connection table of a connection retired soon after an acked close
 * (TcpSession.isAckedClose): its id and endpoints, no state. It keeps the 4-tuple for the full
 * settle period, so that a segment still arriving for it — a copy of one already seen, or a FIN
 * resent because the final ACK was lost after the capture point — is counted as late rather than
 * opening a new connection: connection ids stay tshark's `tcp.stream` + 1 (tshark keeps such a
 * segment in the old stream; wirelens' record of it, handed on already, does not count it).
 * A SYN on the 4-tuple starts a new connection, as it would after any FIN.
 */
export class RetiredConnection implements SettlingLink<RetiredConnection> {
  settleOlder: RetiredConnection | null = null;
  settleNewer: RetiredConnection | null = null;
  settleSince = 0;
  settlingIn: SettlingList<RetiredConnection> | null = null;

  constructor(
    readonly id: number,
    readonly client: { ip: string; port: number },
    readonly server: { ip: string; port: number },
  ) {}
}

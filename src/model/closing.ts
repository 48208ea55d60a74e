import type { ConnectionRecord, FrameAt } from '../tcp/connection.js';
import type { Closing, EndedBy } from './types.js';
import { round6 } from './round.js';

/** The first FIN or RST of a connection, as what ended a wait or a stall. */
export interface CloseEvent extends FrameAt {
  endedBy: Exclude<EndedBy, 'capture-end'>;
}

/**
 * The first FIN or RST seen on the connection at or after `since` (in frame order), or null when
 * neither side has closed since. A FIN is what ends a peer's wait from its point of view even when
 * the other side never answered it (a half-close at the end of the capture). A request sent after
 * the server's FIN waits for what came next (the RST), not for the FIN before it.
 */
export function closeEventAfter(rec: ConnectionRecord, since: number): CloseEvent | null {
  // Called several times per exchange: one object at most, no closure.
  const t = rec.teardown;
  let at = earlierClose(null, t.clientFin, since);
  at = earlierClose(at, t.serverFin, since);
  at = earlierClose(at, t.clientRst, since);
  at = earlierClose(at, t.serverRst, since);
  if (at === null) return null;
  // Each is an object of its own (tcp/session.ts frameAt), so identity tells which one it was.
  const endedBy = at === t.clientFin ? 'client-fin' : at === t.serverFin ? 'server-fin' : at === t.clientRst ? 'client-rst' : 'server-rst';
  return { frame: at.frame, time: at.time, endedBy };
}

/** `candidate` when it is at or after `since` and before `first` (the earliest so far) in frame order, else `first`. */
function earlierClose(first: FrameAt | null, candidate: FrameAt | null, since: number): FrameAt | null {
  return candidate !== null && candidate.time >= since && (first === null || candidate.frame < first.frame) ? candidate : first;
}

/** The connection's first FIN or RST: its frame and time, who sent it, which it was (null: neither yet). */
export function firstClose(rec: ConnectionRecord): Closing['first'] {
  const close = closeEventAfter(rec, -Infinity);
  if (close === null) return null;
  const by = close.endedBy.startsWith('client') ? 'client' : 'server';
  return { frame: close.frame, time: close.time, by, kind: close.endedBy.endsWith('fin') ? 'fin' : 'rst' };
}

/**
 * How the connection's end relates to its exchanges: how long it sat idle after the last one
 * before someone closed it (a keep-alive timeout), and how long it stayed open after a response
 * said `Connection: close` (Node's maxRequestsPerSocket keeps it open). A connection whose last
 * request was sent before the close and never answered was not idle: no idle time then (a
 * request sent after the close — the reuse race — leaves the idle time before the close as it is).
 */
export function closingOf(
  rec: ConnectionRecord,
  lastExchangeEnd: number | null,
  openRequestStart: number | null,
  connectionClose: { exchange: number; frame: number; time: number } | null,
  switched: boolean,
): Closing {
  const first = firstClose(rec);
  const busy = first !== null && openRequestStart !== null && openRequestStart <= first.time;
  const idleBefore = !switched && !busy && first !== null && lastExchangeEnd !== null && first.time > lastExchangeEnd ? round6(first.time - lastExchangeEnd) : null;
  return {
    first,
    idleBefore,
    afterConnectionClose:
      connectionClose === null
        ? null
        : {
            exchange: connectionClose.exchange,
            frame: connectionClose.frame,
            time: connectionClose.time,
            openFor: first !== null && first.time >= connectionClose.time ? round6(first.time - connectionClose.time) : null,
          },
  };
}

/**
 * One connection analysed again from its own frames: the TUI keeps a compact row per exchange
 * rather than every model of a large capture, and rebuilds a connection's models when someone
 * looks at it. The frames are read again by file offset (capture/frame-reader.ts) and go through
 * the same stages as the first pass (modelStages), with the connection's id and the capture's
 * first and last frame times, so its records come out as the first pass made them — a test checks
 * that on every connection of every capture in captures/, and a fuzzer on mutated ones.
 *
 * Facts across connections are the first pass's: a refused connection's `handshake.fallback` (the
 * connection its client opened next on another address) is passed in.
 *
 * What ended the connection in the first pass is repeated: the next connection on the same
 * 4-tuple (its first segment, which may have replaced this one: a SYN while it was open), the
 * capture's end, or only time passing (it closed and settled).
 *
 * Segments that arrived as IPv4/IPv6 fragments carry only their last fragment's frame: read alone
 * it does not reassemble. The caller compares the frame count with the first pass's to tell.
 */
import type { FrameReader } from '../capture/frame-reader.js';
import { Decoder } from '../decode/decoder.js';
import type { SegmentRecord } from '../model/segments.js';
import type { ConnectionModel, ExchangeModel } from '../model/types.js';
import { modelStages, type AnalysisOptions } from './analysis.js';
import { replayFrames } from './replay-frames.js';

/** What the first pass knew of the capture around the connection. */
export interface CaptureBounds {
  /** Time of the capture's first frame (connection `start` and exchange times are relative to it). */
  firstTime: number;
  /** Time of its last frame, once the capture ended (needed for a connection that ended with it). */
  lastTime: number | null;
}

/**
 * How the first pass ended the connection: it closed and settled (or the capture ended while it
 * settled), a SYN reused its 4-tuple while it was open, or it was still open when the capture ended.
 * The next connection on the 4-tuple (`successor`), when there is one, tells better than this.
 */
export type ConnectionEnd = 'settled' | 'replaced' | 'capture-end';

/** How the first pass ended the connection, from its record. */
export function connectionEnd(c: Pick<ConnectionModel, 'end' | 'teardown'>): ConnectionEnd {
  if (c.end === 'capture-end') return 'capture-end';
  return c.teardown.kind === 'open' ? 'replaced' : 'settled';
}

/** The connection's records, as the first pass handed them on. */
export interface ConnectionModels {
  /** Null when the frames did not make a connection (they could not be read, or not as TCP). */
  connection: ConnectionModel | null;
  exchanges: ExchangeModel[];
}

/**
 * Analyses the frames of `segments` (one connection's, as SegmentLog keeps them) again.
 * `successor`: the first segment of the next connection between the same endpoints, if any (the
 * SYN that may have replaced this one: a message left unfinished then waited until it).
 * `options`: the first pass's (rules are not run: findings are kept by the caller).
 */
export async function reanalyseConnection(
  source: string | FrameReader,
  id: number,
  segments: readonly SegmentRecord[],
  end: ConnectionEnd,
  bounds: CaptureBounds,
  options: Pick<AnalysisOptions, 'nodeVerdict' | 'bodies' | 'bodyLimit'>,
  successor: SegmentRecord | null = null,
  /** The first pass's `handshake.fallback`: a fact across connections, which frames read alone cannot tell. */
  fallback: number | null = null,
): Promise<ConnectionModels> {
  const result: ConnectionModels = { connection: null, exchanges: [] };
  // The successor's own records (id + 1 here) are not this connection's.
  const { builder, tracker } = modelStages(
    { ...options, inspect: 'http' },
    {
      connectionOpened: () => undefined,
      exchange: (x) => {
        if (x.connection === id) result.exchanges.push(x);
      },
      connectionClosed: (c) => {
        if (c.id === id) result.connection = c;
      },
    },
    { firstId: id },
  );
  builder.setCaptureStart(bounds.firstTime);
  const decoder = new Decoder();
  // The successor's first frame comes after all of this connection's: the 4-tuple was its then.
  await replayFrames(source, successor === null ? segments : [...segments, successor], (frame) => {
    builder.tick(frame.time);
    const segment = decoder.decode(frame);
    if (segment !== null) tracker.push(segment);
  });
  // What the first pass saw after that (other connections' frames, the time passing) only settled
  // the connection or ended the capture; a replacement is the successor's SYN, or failing that:
  if (end === 'capture-end') {
    if (bounds.lastTime !== null) builder.markCaptureEnd(bounds.lastTime);
    tracker.finish();
  } else if (end === 'replaced' && successor === null) {
    tracker.finish('replaced');
  } else {
    tracker.advance(Number.POSITIVE_INFINITY);
    tracker.finish();
  }
  builder.finish();
  const connection = result.connection as ConnectionModel | null;
  if (connection !== null && connection.handshake.refused) connection.handshake.fallback = fallback;
  return result;
}

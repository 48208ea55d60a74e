/**
 * One connection analysed again from its own frames: the TUI keeps a compact row per exchange
 * rather than every model of a large capture, and rebuilds a connection's models when someone
 * looks at it. The frames are read again by file offset (capture/frame-reader.ts) and go through
 * the same stages as the first pass (modelStages), with the connection's id and the capture's
 * first and last frame times, so its records come out as the first pass made them — a test checks
 * that on every connection of every capture in captures/.
 *
 * Segments that arrived as IPv4/IPv6 fragments carry only their last fragment's frame: read alone
 * it does not reassemble. The caller compares the frame count with the first pass's to tell.
 */
import type { Frame } from '../capture/frame.js';
import { FrameReader } from '../capture/frame-reader.js';
import { Decoder } from '../decode/decoder.js';
import type { SegmentRecord } from '../model/segments.js';
import type { ConnectionModel, ExchangeModel } from '../model/types.js';
import { modelStages, type AnalysisOptions } from './analysis.js';

/** What the first pass knew of the capture around the connection. */
export interface CaptureBounds {
  /** Time of the capture's first frame (connection `start` and exchange times are relative to it). */
  firstTime: number;
  /** Time of its last frame, once the capture ended (needed for a connection that ended with it). */
  lastTime: number | null;
  /**
   * For a connection a new SYN replaced: that SYN's time (the first frame of the next connection on
   * the same 4-tuple). A message left unfinished waited until then, not until its own last frame.
   */
  replacedAt?: number | null;
}

/**
 * How the first pass ended the connection: it closed and settled (or the capture ended while it
 * settled), a SYN reused its 4-tuple while it was open, or it was still open when the capture ended.
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
 * `options`: the first pass's (rules are not run: findings are kept by the caller).
 */
export async function reanalyseConnection(
  source: string | FrameReader,
  id: number,
  segments: readonly SegmentRecord[],
  end: ConnectionEnd,
  bounds: CaptureBounds,
  options: Pick<AnalysisOptions, 'nodeVerdict' | 'bodies' | 'bodyLimit'>,
): Promise<ConnectionModels> {
  const result: ConnectionModels = { connection: null, exchanges: [] };
  const { builder, tracker } = modelStages(
    { ...options, inspect: 'http' },
    {
      connectionOpened: () => undefined,
      exchange: (x) => void result.exchanges.push(x),
      connectionClosed: (c) => {
        result.connection = c;
      },
    },
    { firstId: id },
  );
  builder.setCaptureStart(bounds.firstTime);
  const decoder = new Decoder();
  const reader = typeof source === 'string' ? await FrameReader.open(source) : source;
  try {
    for (const s of framesOf(segments)) {
      const frame: Frame = await reader.read(s.fileOffset, s.frame);
      builder.tick(frame.time);
      const segment = decoder.decode(frame);
      if (segment !== null) tracker.push(segment);
    }
  } finally {
    if (typeof source === 'string') await reader.close();
  }
  // The connection ends as the first pass ended it: what the first pass saw after its frames
  // (other connections' frames, the time passing) only settled it, replaced it or ended the capture.
  if (end === 'capture-end') {
    if (bounds.lastTime !== null) builder.markCaptureEnd(bounds.lastTime);
    tracker.finish();
  } else if (end === 'replaced') {
    if (bounds.replacedAt != null) builder.tick(bounds.replacedAt);
    tracker.finish('replaced');
  } else {
    tracker.advance(Number.POSITIVE_INFINITY);
    tracker.finish();
  }
  builder.finish();
  return result;
}

/** One record per frame (a frame can carry more than one segment record), in capture order. */
function framesOf(segments: readonly SegmentRecord[]): SegmentRecord[] {
  const byFrame = new Map<number, SegmentRecord>();
  for (const s of segments) if (!byFrame.has(s.frame)) byFrame.set(s.frame, s);
  return [...byFrame.values()].sort((a, b) => a.frame - b.frame);
}

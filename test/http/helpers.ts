import type { Direction, StreamChunk, StreamGap } from '../../src/tcp/stream.js';
import { HttpParser, type EndReason, type ParserOptions } from '../../src/http/parser.js';
import { HttpConnectionAnalyzer, type HttpAnalyzerOptions } from '../../src/http/connection.js';
import type { Exchange, HttpConnectionResult, Message, StreamDeviation } from '../../src/http/types.js';

export function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

export function text(b: Uint8Array | undefined): string | undefined {
  return b === undefined ? undefined : Buffer.from(b).toString('latin1');
}

/** Capture time of a frame in these fixtures. */
export function timeOf(frame: number): number {
  return 1000 + frame / 1000;
}

/** One segment of a fixture: bytes carried by one frame (or a gap before the next one). */
export type Seg = { frame: number; data: string } | { gap: number | 'unknown'; frame: number };

export interface ParsedDirection {
  messages: Message[];
  deviations: StreamDeviation[];
  /** Bytes push() did not consume (paused / tunnel). */
  unconsumed: number;
}

/** Chunks of one direction: the segments, optionally cut further at the given absolute stream offsets. */
function toEvents(segs: Seg[], cuts: ReadonlySet<number>, direction: Direction): Array<StreamChunk | (StreamGap & { gap: true })> {
  const out: Array<StreamChunk | (StreamGap & { gap: true })> = [];
  let offset = 0;
  for (const s of segs) {
    if ('gap' in s) {
      out.push({ gap: true, direction, offset, length: s.gap, frameAfter: s.frame, time: timeOf(s.frame) });
      if (typeof s.gap === 'number') offset += s.gap;
      continue;
    }
    const b = bytes(s.data);
    let start = 0;
    for (let i = 1; i <= b.length; i++) {
      if (i === b.length || cuts.has(offset + i)) {
        out.push({ direction, offset: offset + start, bytes: b.subarray(start, i), frame: s.frame, time: timeOf(s.frame) });
        start = i;
      }
    }
    offset += b.length;
  }
  return out;
}

export function streamLength(segs: Seg[]): number {
  let n = 0;
  for (const s of segs) n += 'gap' in s ? (typeof s.gap === 'number' ? s.gap : 0) : s.data.length;
  return n;
}

export interface ParseOptions extends Partial<Omit<ParserOptions, 'hooks' | 'kind'>> {
  /** Methods answered by successive responses (response parsers). */
  methods?: string[];
  end?: EndReason | null;
}

export function parse(kind: 'request' | 'response', segs: Seg[], options: ParseOptions = {}, cuts: ReadonlySet<number> = new Set()): ParsedDirection {
  const messages: Message[] = [];
  const deviations: StreamDeviation[] = [];
  const methods = [...(options.methods ?? [])];
  const { methods: _m, end, ...parserOptions } = options;
  const parser = new HttpParser({
    ...parserOptions,
    kind,
    hooks: {
      onHeadersComplete: (m) => (kind === 'response' ? { requestMethod: m.status !== undefined && m.status < 200 && m.status !== 101 ? (methods[0] ?? null) : (methods.shift() ?? null) } : undefined),
      onMessage: (m) => messages.push(m),
      onDeviation: (d) => deviations.push(d),
    },
  });
  let unconsumed = 0;
  for (const e of toEvents(segs, cuts, kind === 'request' ? 'client' : 'server')) {
    if ('gap' in e) parser.gap(e);
    else unconsumed += e.bytes.length - parser.push(e);
  }
  if (end !== null) parser.finish(end ?? 'close');
  return { messages, deviations, unconsumed };
}

/** Every single cut position, plus "one byte at a time". */
export function cutVariants(total: number): Array<Set<number>> {
  const variants: Array<Set<number>> = [];
  for (let k = 1; k < total; k++) variants.push(new Set([k]));
  variants.push(new Set(Array.from({ length: total }, (_, i) => i + 1)));
  return variants;
}

// ------------------------------------------------------------------ whole connections

export type ConnEvent = { dir: Direction; frame: number; data: string } | { dir: Direction; frame: number; gap: number | 'unknown' };

export interface AnalyzerRun {
  result: HttpConnectionResult;
  emitted: Exchange[];
  deviations: StreamDeviation[];
}

export function analyze(
  events: ConnEvent[],
  end: 'close' | 'capture-end' | null = 'close',
  options: HttpAnalyzerOptions = {},
  pieceSize = 0,
): AnalyzerRun {
  const emitted: Exchange[] = [];
  const deviations: StreamDeviation[] = [];
  const analyzer = new HttpConnectionAnalyzer({ ...options, onExchange: (e) => emitted.push(e), onDeviation: (d) => deviations.push(d) });
  const offsets: Record<Direction, number> = { client: 0, server: 0 };
  for (const e of events) {
    if ('gap' in e) {
      analyzer.gap({ direction: e.dir, offset: offsets[e.dir], length: e.gap, frameAfter: e.frame, time: timeOf(e.frame) });
      if (typeof e.gap === 'number') offsets[e.dir] += e.gap;
      continue;
    }
    const b = bytes(e.data);
    const step = pieceSize > 0 ? pieceSize : b.length;
    for (let i = 0; i < b.length; i += step) {
      const piece = b.subarray(i, Math.min(b.length, i + step));
      analyzer.chunk({ direction: e.dir, offset: offsets[e.dir] + i, bytes: piece, frame: e.frame, time: timeOf(e.frame) });
    }
    offsets[e.dir] += b.length;
  }
  if (end === 'close') analyzer.close(timeOf(999));
  else if (end === 'capture-end') analyzer.endOfCapture(timeOf(999));
  return { result: analyzer.result(), emitted, deviations };
}

export function summary(e: Exchange): string {
  const req = e.request ? `${e.request.method} ${e.request.target}` : '-';
  const interim = e.interim.map((m) => m.status).join(',');
  const res = e.response ? String(e.response.status) : '-';
  return `${e.index} ${req} [${interim}] ${res}${e.pipelined ? ' pipelined' : ''}`;
}

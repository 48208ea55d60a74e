import type { Direction, StreamChunk, StreamGap } from '../tcp/stream.js';

/**
 * Text rendering of a reassembled stream, like Wireshark's "Follow TCP Stream": a marker line at
 * every change of direction, printable ASCII as is, other bytes as '.', CR dropped before LF.
 */
export class FollowTextWriter {
  private lastDirection: Direction | null = null;
  private atLineStart = true;

  constructor(
    private readonly out: (text: string) => void,
    private readonly labels: Record<Direction, string>,
    private readonly startTime: number,
  ) {}

  chunk(chunk: StreamChunk): void {
    if (chunk.direction !== this.lastDirection) {
      this.marker(`${chunk.direction === 'client' ? '==>' : '<=='} ${this.labels[chunk.direction]}  frame ${chunk.frame}, +${(chunk.time - this.startTime).toFixed(6)}s`);
      this.lastDirection = chunk.direction;
    }
    const text = printable(chunk.bytes);
    if (text.length) {
      this.out(text);
      this.atLineStart = text.endsWith('\n');
    }
  }

  gap(gap: StreamGap): void {
    const size = gap.length === 'unknown' ? 'an unknown number of' : String(gap.length);
    this.marker(`[${size} bytes missing from the ${gap.direction} stream at offset ${gap.offset} (capture gap), before frame ${gap.frameAfter}]`);
    this.lastDirection = null;
  }

  /** Ends a final partial line so the shell prompt starts on its own line. */
  finish(): void {
    if (!this.atLineStart) this.out('\n');
  }

  private marker(text: string): void {
    this.out(`${this.atLineStart ? '' : '\n'}${text}\n`);
    this.atLineStart = true;
  }
}

/** Printable ASCII, tab and LF kept; CR dropped (CRLF shows as a newline); anything else '.'. */
export function printable(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0d) continue;
    s += (b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x09 ? String.fromCharCode(b) : '.';
  }
  return s;
}

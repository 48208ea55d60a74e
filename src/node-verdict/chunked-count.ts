/**
 * Counts the data bytes of a chunked body as llhttp (strict) delivers them to Node's kOnBody,
 * without the callback: Node's binding copies every body piece into a new Buffer and calls into
 * JavaScript for it, which on chunked traffic costs more than the whole parse. The counter walks
 * the framing only (size line with extensions, CRLF, data, CRLF, …, last chunk, trailers); data
 * bytes are skipped by arithmetic. It stops at the end of the body, or at the first byte strict
 * llhttp rejects (llhttp itself reports that error: the count is only of what came before).
 * Bytes it walked from one chunk start to another, through whole well-formed chunks without
 * extensions, leave llhttp where it was: they need not be parsed (see Reader.read).
 */

const enum State {
  SizeFirst,
  Size,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  TrailerLine,
  TrailerLf,
  EndLf,
  Done,
}

const CR = 13;
const LF = 10;

export class ChunkedCount {
  private state = State.SizeFirst;
  private left = 0;

  /** Chunk extensions seen so far (Node counts their bytes against a limit of its own). */
  extensions = 0;

  /** The body ended, or the framing went wrong: nothing more is counted. */
  get over(): boolean {
    return this.state === State.Done;
  }

  /** Between two chunks of data: the next byte starts a chunk size (what llhttp expects there too). */
  get atChunkStart(): boolean {
    return this.state === State.SizeFirst;
  }

  /** Walks bytes[from…] and returns how many of them are chunk data. */
  count(bytes: Uint8Array, from: number): number {
    let data = 0;
    let i = from;
    const end = bytes.length;
    while (i < end && this.state !== State.Done) {
      if (this.state === State.Data) {
        const n = Math.min(this.left, end - i);
        data += n;
        i += n;
        this.left -= n;
        if (this.left === 0) this.state = State.DataCr;
        continue;
      }
      this.step(bytes[i++]);
    }
    return data;
  }

  private step(byte: number): void {
    switch (this.state) {
      case State.SizeFirst:
      case State.Size: {
        const digit = hexValue(byte);
        if (digit >= 0) {
          this.left = this.left * 16 + digit;
          this.state = this.left > Number.MAX_SAFE_INTEGER ? State.Done : State.Size;
        } else if (this.state === State.Size && byte === 0x3b) {
          this.state = State.Extension;
          this.extensions++;
        }
        else if (this.state === State.Size && byte === CR) this.state = State.SizeLf;
        else this.state = State.Done;
        return;
      }
      case State.Extension:
        if (byte === CR) this.state = State.SizeLf;
        else if (byte === LF) this.state = State.Done;
        return;
      case State.SizeLf:
        this.state = byte !== LF ? State.Done : this.left === 0 ? State.TrailerStart : State.Data;
        return;
      case State.DataCr:
        this.state = byte === CR ? State.DataLf : State.Done;
        return;
      case State.DataLf:
        this.state = byte === LF ? State.SizeFirst : State.Done;
        return;
      case State.TrailerStart:
        this.state = byte === CR ? State.EndLf : State.TrailerLine;
        return;
      case State.TrailerLine:
        if (byte === CR) this.state = State.TrailerLf;
        return;
      case State.TrailerLf:
        this.state = byte === LF ? State.TrailerStart : State.Done;
        return;
      case State.EndLf:
        this.state = State.Done;
        return;
      default:
        return;
    }
  }
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

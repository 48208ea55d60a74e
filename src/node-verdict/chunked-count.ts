/**
 * Counts the data bytes of a chunked body as llhttp (strict) delivers them to Node's kOnBody,
 * without the callback: Node's binding copies every body piece into a new Buffer and calls into
 * JavaScript for it, which on chunked traffic costs more than the whole parse. The counter walks
 * the framing only (size line with extensions, CRLF, data, CRLF, …, last chunk, trailers); data
 * bytes are skipped by arithmetic. It stops at the end of the body, or at the first byte strict
 * llhttp rejects (llhttp itself reports that error: the count is only of what came before).
 * Bytes it walked from one chunk start to another, through whole well-formed chunks without
 * extensions, leave llhttp where it was: they need not be parsed (see Reader.read).
 *
 * In canonical mode it walks only the framing strict llhttp certainly accepts (hex sizes of at
 * most 12 digits, no extension, CRLFs where due, no trailer): such a body need not be parsed at
 * all. At the first byte outside it, it stops (`deviation`) and tells what a fresh llhttp must be
 * primed with to stand where it would stand there (`primer`); `followAll()` then goes on with the
 * full framing, beside llhttp.
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

/** Size digits walked in canonical mode: 16^12 bytes is beyond any capture, and far from llhttp's 64-bit overflow. */
const CANONICAL_DIGITS = 12;

export class ChunkedCount {
  private state = State.SizeFirst;
  private left = 0;
  /** Digits of the size line being walked (canonical mode). */
  private digits = 0;
  /** Where the last `count` stopped: past the body's last byte once `over`, else the end of the bytes (or `deviation`). */
  end = 0;
  /** Canonical mode: the index of the byte outside canonical framing the last `count` stopped at (-1: none). */
  deviation = -1;

  constructor(
    /** Follows canonical framing only (see the file header). */
    private canonical = false,
  ) {}

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
      if (!this.canonical) this.step(bytes[i++]);
      else if (this.stepCanonical(bytes[i])) i++;
      else {
        this.deviation = i;
        break;
      }
    }
    this.end = i;
    return data;
  }

  /** Leaves canonical mode at the deviation: the next `count` walks on from that byte with the full framing. */
  followAll(): void {
    this.canonical = false;
    this.deviation = -1;
  }

  /**
   * Canonical mode, at a deviation: the bytes that take a fresh llhttp, once past a chunked head,
   * to the state it is in at that byte. llhttp never looks at chunk data, and a chunk's size
   * matters no more once its data is read, so one data byte stands for all of them.
   */
  primer(): string {
    switch (this.state) {
      case State.Size:
        return this.left.toString(16);
      case State.SizeLf:
        return `${this.left.toString(16)}\r`;
      case State.DataCr:
        return '1\r\n\0';
      case State.DataLf:
        return '1\r\n\0\r';
      case State.TrailerStart:
        return '0\r\n';
      case State.EndLf:
        return '0\r\n\r';
      default:
        return '';
    }
  }

  /** One framing byte in canonical mode; false (and nothing changed) when it is not canonical framing. */
  private stepCanonical(byte: number): boolean {
    switch (this.state) {
      case State.SizeFirst:
      case State.Size: {
        const digit = hexValue(byte);
        if (digit >= 0 && this.digits < CANONICAL_DIGITS) {
          this.left = this.left * 16 + digit;
          this.digits++;
          this.state = State.Size;
          return true;
        }
        if (this.state !== State.Size || byte !== CR) return false;
        this.state = State.SizeLf;
        return true;
      }
      case State.SizeLf:
        if (byte !== LF) return false;
        this.digits = 0;
        this.state = this.left === 0 ? State.TrailerStart : State.Data;
        return true;
      case State.DataCr:
        if (byte !== CR) return false;
        this.state = State.DataLf;
        return true;
      case State.DataLf:
        if (byte !== LF) return false;
        this.state = State.SizeFirst;
        return true;
      case State.TrailerStart:
        if (byte !== CR) return false;
        this.state = State.EndLf;
        return true;
      case State.EndLf:
        if (byte !== LF) return false;
        this.state = State.Done;
        return true;
      default:
        return false;
    }
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

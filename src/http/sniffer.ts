import type { Direction, StreamChunk, StreamConsumer } from '../tcp/stream.js';
import { DEFAULT_BUFFER_LIMIT } from './connection.js';
import { detectProtocol, growHead, limitDecides } from './detect.js';
import type { ProtocolLabel } from './types.js';


/**
 * Labels a connection from its first bytes and counts the rest, parsing nothing: the http stage's
 * consumer when only connections are wanted (`conns`, `follow`). A fraction of an analyzer's cost
 * per connection, which is what a capture of 10^5 short connections spends its time on.
 */
export class ProtocolSniffer implements StreamConsumer {
  private label: ProtocolLabel | null = null;
  private client: Uint8Array = EMPTY;
  private server: Uint8Array = EMPTY;
  readonly bytes: Record<Direction, number> = { client: 0, server: 0 };
  /** Largest payload delivered in one segment, per direction (the capture-point verdict needs it). */
  readonly maxSegment: Record<Direction, number> = { client: 0, server: 0 };
  /** How the connection ended: a TCP close or the end of the capture (null while open). */
  ended: 'close' | 'capture-end' | null = null;

  /** Bytes seen since the heads were last started: the analyzer's buffer, which the sniffer does not keep. */
  private undecidedBytes = 0;

  /** `midStream`: the connection was picked up without its handshake (see limitDecides). */
  constructor(private readonly midStream = false) {}

  /** The label once decided; null for a connection that carried no payload. */
  get protocol(): ProtocolLabel | null {
    return this.label ?? this.decide(true);
  }

  chunk(chunk: StreamChunk): void {
    this.bytes[chunk.direction] += chunk.bytes.length;
    if (chunk.bytes.length > this.maxSegment[chunk.direction]) this.maxSegment[chunk.direction] = chunk.bytes.length;
    if (this.label !== null || chunk.bytes.length === 0) return;
    if (chunk.direction === 'client') this.client = growHead(this.client, chunk.bytes);
    else this.server = growHead(this.server, chunk.bytes);
    this.undecidedBytes += chunk.bytes.length;
    const full = this.undecidedBytes >= DEFAULT_BUFFER_LIMIT;
    if (!full || limitDecides(this.midStream)) {
      this.decide(full);
      return;
    }
    if (this.decide(false) !== null) return;
    // As the analyzer lets its buffer go: the label comes from the bytes that follow.
    this.client = this.server = EMPTY;
    this.undecidedBytes = 0;
  }

  gap(): void {}

  close(): void {
    this.ended ??= 'close';
    this.decide(true);
  }

  endOfCapture(): void {
    this.ended ??= 'capture-end';
    this.decide(true);
  }

  private decide(final: boolean): ProtocolLabel | null {
    if (this.label !== null) return this.label;
    if (this.client.length === 0 && this.server.length === 0) return null;
    const decision = detectProtocol(this.client, this.server, final);
    if (decision !== null) {
      this.label = decision.protocol;
      this.client = this.server = EMPTY;
    }
    return this.label;
  }
}

const EMPTY = new Uint8Array(0);

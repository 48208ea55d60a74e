/**
 * An in-memory socket for Node's `http` module: the readable side carries captured bytes pushed by
 * the replay, the writable side swallows what Node writes back (the automatic 400, a 100 Continue,
 * the replayed request). No file descriptor, no network.
 */
import { Duplex } from 'node:stream';

export class WireSocket extends Duplex {
  // What http reads off a net.Socket; documentation addresses (RFC 5737), never used for I/O.
  readonly remoteAddress = '192.0.2.1';
  readonly remotePort = 9;
  readonly remoteFamily = 'IPv4';
  readonly localAddress = '192.0.2.2';
  readonly localPort = 80;
  readonly encrypted = false;

  constructor() {
    super({ allowHalfOpen: true });
  }

  override _read(): void {
    // Bytes are pushed by the replay, not pulled.
  }

  override _write(_chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    callback();
  }

  // net.Socket methods http calls on its sockets.
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  destroySoon(): void {
    if (this.writable) this.end();
    this.destroy();
  }
}

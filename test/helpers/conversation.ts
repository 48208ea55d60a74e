import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LinkType } from '../../src/capture/frame.js';
import { writePcapng, type WriterFrame } from '../../src/synth/capture-writer.js';
import { buildFrame, type LinkOptions } from '../../src/synth/packets.js';
import { TcpFlag } from '../../src/decode/segment.js';
import { tempDir } from './temp.js';

const { SYN, ACK, FIN, RST, PSH } = TcpFlag;

/**
 * Builds the frames of TCP conversations for synthetic captures: real bytes, correct seq/ack, one
 * packet per call, in the order the calls are made (so reordering is the test's choice).
 */
export class Conversation {
  private clientSeq: number;
  private serverSeq: number;
  readonly frames: WriterFrame[];

  constructor(
    frames: WriterFrame[],
    private readonly client: { ip: string; port: number },
    private readonly server: { ip: string; port: number },
    /** Time since `base` (kept small so 1 ms steps add up exactly to well under a microsecond). */
    private clock: { t: number; base?: number },
    private readonly linkType: number = LinkType.ETHERNET,
    private readonly linkOpts: LinkOptions = {},
    isn: { client?: number; server?: number } = {},
  ) {
    this.frames = frames;
    this.clientSeq = isn.client ?? 1000;
    this.serverSeq = isn.server ?? 5000;
  }

  /** SYN, SYN-ACK, ACK; `mss` puts an MSS option in the SYN (client) and SYN-ACK (server). */
  handshake(mss: { client?: number; server?: number } = {}): this {
    this.packet('client', this.clientSeq, 0, SYN, undefined, mss.client);
    this.clientSeq += 1;
    this.packet('server', this.serverSeq, this.clientSeq, SYN | ACK, undefined, mss.server);
    this.serverSeq += 1;
    this.packet('client', this.clientSeq, this.serverSeq, ACK);
    return this;
  }

  /** A lone SYN (for refused or unanswered connections). */
  syn(): this {
    this.packet('client', this.clientSeq, 0, SYN);
    this.clientSeq += 1;
    return this;
  }

  /** Sends payload from one side (advancing its sequence number). */
  send(from: 'client' | 'server', payload: string | Uint8Array): this {
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
    const seq = from === 'client' ? this.clientSeq : this.serverSeq;
    this.packet(from, seq, from === 'client' ? this.serverSeq : this.clientSeq, ACK | PSH, bytes);
    if (from === 'client') this.clientSeq += bytes.length;
    else this.serverSeq += bytes.length;
    return this;
  }

  /** Advances a side's sequence number without a frame: the capture lost these bytes. */
  lose(from: 'client' | 'server', length: number): this {
    if (from === 'client') this.clientSeq += length;
    else this.serverSeq += length;
    return this;
  }

  ack(from: 'client' | 'server'): this {
    this.packet(from, from === 'client' ? this.clientSeq : this.serverSeq, from === 'client' ? this.serverSeq : this.clientSeq, ACK);
    return this;
  }

  fin(from: 'client' | 'server'): this {
    const seq = from === 'client' ? this.clientSeq : this.serverSeq;
    this.packet(from, seq, from === 'client' ? this.serverSeq : this.clientSeq, FIN | ACK);
    if (from === 'client') this.clientSeq += 1;
    else this.serverSeq += 1;
    return this;
  }

  /** RST (with ACK, as Linux sends it, so a refused SYN is acknowledged). */
  rst(from: 'client' | 'server'): this {
    this.packet(from, from === 'client' ? this.clientSeq : this.serverSeq, from === 'client' ? this.serverSeq : this.clientSeq, RST | ACK);
    return this;
  }

  /** Lets capture time pass. */
  wait(seconds: number): this {
    this.clock.t += seconds;
    return this;
  }

  private packet(from: 'client' | 'server', seq: number, ack: number, flags: number, payload?: Uint8Array, mss?: number): void {
    const [src, dst] = from === 'client' ? [this.client, this.server] : [this.server, this.client];
    const options = mss === undefined ? undefined : { mss };
    const data = buildFrame(
      this.linkType,
      { src: src.ip, dst: dst.ip, srcPort: src.port, dstPort: dst.port, seq: seq >>> 0, ack: ack >>> 0, flags, payload, options },
      this.linkOpts,
    );
    this.frames.push({ time: (this.clock.base ?? 0) + this.clock.t, data });
    this.clock.t += 0.001;
  }
}

/** A capture under construction: several conversations sharing one frame list and clock. */
export class SyntheticCapture {
  readonly frames: WriterFrame[] = [];
  private readonly clock = { base: 1_700_000_000, t: 0 };
  private nextPort = 40000;

  constructor(
    private readonly linkType: number = LinkType.ETHERNET,
    private readonly linkOpts: LinkOptions = {},
  ) {}

  conversation(opts: { server?: string; serverPort?: number; client?: string; clientPort?: number; isn?: { client?: number; server?: number } } = {}): Conversation {
    const serverIp = opts.server ?? '127.0.0.1';
    return new Conversation(
      this.frames,
      { ip: opts.client ?? serverIp, port: opts.clientPort ?? this.nextPort++ },
      { ip: serverIp, port: opts.serverPort ?? 5000 },
      this.clock,
      this.linkType,
      this.linkOpts,
      opts.isn,
    );
  }

  toPcapng(): Buffer {
    return writePcapng([{ interfaces: [{ linkType: this.linkType }], frames: this.frames }]);
  }

  /** Writes the capture to a fresh temp file (removed after the test file) and returns its path. */
  writeTemp(name = 'synthetic.pcapng'): string {
    const file = join(tempDir('synthetic'), name);
    writeFileSync(file, this.toPcapng());
    return file;
  }
}

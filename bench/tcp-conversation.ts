import type { Packet } from './capture-file.js';
import type { Rng } from './rng.js';
import { LinkType, TcpFlag, buildTcpIpPacket, wrapLink } from './synth.js';

/** Who talks to whom, on which link addresses. */
export interface Endpoints {
  client: string;
  server: string;
  clientPort: number;
  serverPort: number;
  clientMac: string;
  serverMac: string;
}

export interface ConversationOptions {
  /** TCP timestamps option on every segment (Linux default; MSS 1448 then) or none at all. */
  timestamps: boolean;
  /** Tag every packet with this connection number (see `Packet.conn`). */
  conn?: number;
}

/** Counts shared by all conversations of a capture. */
export interface SegmentCounters {
  dataSegments: number;
  pureAcks: number;
}

export const ZERO_MAC = '00:00:00:00:00:00';
/** 1500 MTU − 20 IP − 20 TCP − 12 timestamps option. */
export const MSS_WITH_TIMESTAMPS = 1448;
export const MSS_WITHOUT_TIMESTAMPS = 1460;

/**
 * One TCP connection's sequence numbers, IP ids and timestamp clocks: `packet()` builds the next
 * segment from either side with the right seq/ack and advances them. Random initial values (ISNs,
 * IP ids, TSval offsets) are drawn from `rng` in a fixed order, so a seed fixes every byte.
 */
export class TcpConversation {
  private clientSeq: number;
  private serverSeq: number;
  private clientIpId: number;
  private serverIpId: number;
  private readonly clientTsOffset: number;
  private readonly serverTsOffset: number;
  private clientTsSeen = 0; // last TSval the server sent (the client's TSecr)
  private serverTsSeen = 0;

  constructor(
    private readonly ends: Endpoints,
    rng: Rng,
    private readonly counters: SegmentCounters,
    private readonly opts: ConversationOptions,
  ) {
    this.clientSeq = Math.floor(rng() * 0x100000000) >>> 0;
    this.serverSeq = Math.floor(rng() * 0x100000000) >>> 0;
    this.clientIpId = Math.floor(rng() * 0x10000);
    this.serverIpId = Math.floor(rng() * 0x10000);
    this.clientTsOffset = Math.floor(rng() * 0x100000000);
    this.serverTsOffset = Math.floor(rng() * 0x100000000);
  }

  /** The largest payload one segment carries at a 1500-byte MTU. */
  get mss(): number {
    return this.opts.timestamps ? MSS_WITH_TIMESTAMPS : MSS_WITHOUT_TIMESTAMPS;
  }

  /** The next segment from one side at `us`; SYNs carry the handshake options. */
  packet(us: number, fromClient: boolean, flags: number, payload?: Uint8Array, startsRequest = false): Packet {
    const e = this.ends;
    const syn = (flags & TcpFlag.SYN) !== 0;
    const tsval = ((fromClient ? this.clientTsOffset : this.serverTsOffset) + Math.floor(us / 1000)) >>> 0;
    const tsecr = fromClient ? this.clientTsSeen : this.serverTsSeen;
    if (fromClient) this.serverTsSeen = tsval;
    else this.clientTsSeen = tsval;
    const timestamp: [number, number] | undefined = this.opts.timestamps ? [tsval, tsecr] : undefined;
    const ip = buildTcpIpPacket({
      src: fromClient ? e.client : e.server,
      dst: fromClient ? e.server : e.client,
      srcPort: fromClient ? e.clientPort : e.serverPort,
      dstPort: fromClient ? e.serverPort : e.clientPort,
      seq: fromClient ? this.clientSeq : this.serverSeq,
      ack: (flags & TcpFlag.ACK) !== 0 ? (fromClient ? this.serverSeq : this.clientSeq) : 0,
      flags,
      window: syn ? (fromClient ? 64240 : 65160) : fromClient ? 2048 : 512,
      options: syn ? { mss: 1460, sackPermitted: true, timestamp, windowScale: 7 } : timestamp ? { timestamp } : undefined,
      payload,
      ipId: fromClient ? this.clientIpId : this.serverIpId,
    });
    if (fromClient) this.clientIpId = (this.clientIpId + 1) & 0xffff;
    else this.serverIpId = (this.serverIpId + 1) & 0xffff;
    const length = payload?.length ?? 0;
    const advance = length + (syn || (flags & TcpFlag.FIN) !== 0 ? 1 : 0);
    if (fromClient) this.clientSeq = (this.clientSeq + advance) >>> 0;
    else this.serverSeq = (this.serverSeq + advance) >>> 0;
    if (length > 0) this.counters.dataSegments++;
    else if (flags === TcpFlag.ACK) this.counters.pureAcks++;
    const data = wrapLink(LinkType.ETHERNET, ip, {
      srcMac: fromClient ? e.clientMac : e.serverMac,
      dstMac: fromClient ? e.serverMac : e.clientMac,
    });
    const packet: Packet = { us, data };
    if (this.opts.conn !== undefined) packet.conn = this.opts.conn;
    if (startsRequest) packet.startsRequest = true;
    return packet;
  }
}

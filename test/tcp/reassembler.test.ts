import { describe, expect, it } from 'vitest';
import { TcpFlag, type Segment } from '../../src/decode/segment.js';
import { BufferPool } from '../../src/tcp/budget.js';
import type { DirectionStats } from '../../src/tcp/connection.js';
import { Reassembler, type ReassemblySink } from '../../src/tcp/reassembler.js';
import type { OverlapConflict, StreamChunk, StreamGap } from '../../src/tcp/stream.js';
import { bytes, segment, text } from './segments.js';

const ISN = 0xfffffff0; // every table below crosses 2^32 a few bytes in
const { SYN, FIN, ACK } = TcpFlag;

/** A client-side reassembler that records its output as strings. */
function setup() {
  const out: string[] = [];
  const sink: ReassemblySink = {
    chunk: (c: StreamChunk) => out.push(`@${c.offset} ${text(c.bytes)} f${c.frame}`),
    gap: (g: StreamGap) => out.push(`gap @${g.offset}+${g.length} f${g.frameAfter} ${g.cause}`),
    conflict: (c: OverlapConflict) => out.push(`conflict @${c.offset} f${c.frame}/f${c.firstFrame}`),
  };
  const stats: DirectionStats = { frames: 0, bytes: 0, retransmissions: 0, firstRetransmission: null, spuriousRetransmissions: 0, outOfOrder: 0, firstOutOfOrder: null, conflictingOverlaps: 0, zeroWindow: 0, keepAlives: 0, zeroWindowProbes: 0, truncatedFrames: 0, duplicates: 0 };
  const pool = new BufferPool();
  const account = pool.account();
  const r = new Reassembler('client', stats, sink, account);
  let frame = 0;
  /** Pushes a segment at stream offset `offset` (SYN at -1). */
  const push = (offset: number, data = '', flags: number = ACK, payloadLength?: number): string => {
    const payload = bytes(data);
    const seg: Segment = segment({ src: 'a', srcPort: 1, dst: 'b', dstPort: 2, seq: (ISN + 1 + offset) >>> 0, flags, payload, payloadLength: payloadLength ?? payload.length });
    seg.frame = ++frame;
    seg.time = frame;
    return r.push(seg);
  };
  const ack = (offset: number) => r.ack((ISN + 1 + offset) >>> 0, ++frame, frame);
  push(-1, '', SYN); // frame 1
  return { r, out, stats, pool, account, push, ack };
}

describe('Reassembler', () => {
  it('classifies segments', () => {
    const { push } = setup();
    expect([push(0, 'abc'), push(0, 'abc'), push(6, 'ghi'), push(6, 'ghi'), push(2, 'cdef'), push(9, ''), push(8, 'x'), push(12, 'z')]).toEqual([
      'in-order',
      'retransmission',
      'out-of-order',
      'retransmission',
      'partial-retransmission',
      'none',
      'keep-alive',
      'out-of-order',
    ]);
  });

  it('fills a hole with overlapping out-of-order pieces: every byte from its first copy', () => {
    const { out, push, stats, account } = setup();
    push(10, '0123456789'); // f2: [10,20)
    push(5, 'abcde0123456789vwxyz'); // f3: [5,25), new parts [5,10) and [20,25)
    expect(account.used).toBe(20);
    push(0, 'ABCDE'); // f4
    expect(out).toEqual(['@0 ABCDE f4', '@5 abcde f3', '@10 0123456789 f2', '@20 vwxyz f3']);
    expect(stats).toMatchObject({ bytes: 25, outOfOrder: 2, retransmissions: 0, conflictingOverlaps: 0 });
    expect(account.used).toBe(0);
  });

  it('acking the FIN is not a gap; the FIN is reached in stream order', () => {
    const { r, out, push, ack } = setup();
    push(0, 'abc');
    push(3, '', FIN | ACK);
    expect(r.finished).toBe(true);
    ack(4); // the FIN's sequence number
    expect(out).toEqual(['@0 abc f2']);
  });

  it('a FIN after a hole: flushing through the FIN gaps the missing bytes', () => {
    const { r, out, push } = setup();
    push(0, 'abc');
    push(6, '', FIN | ACK); // f3: bytes [3,6) never seen
    expect(r.finSeen).toBe(true);
    expect(r.finished).toBe(false);
    r.flush('end-of-capture', true);
    expect(out).toEqual(['@0 abc f2', 'gap @3+3 f3 end-of-capture']);
    expect(r.finished).toBe(true);
  });

  it('ACK beyond a hole gaps only up to the ACK, then continues when the rest is acked', () => {
    const { out, push, ack } = setup();
    push(0, 'ab');
    push(10, 'kl'); // [10,12)
    ack(5); // f4: acks [2,5)
    expect(out).toEqual(['@0 ab f2', 'gap @2+3 f4 acked-unseen']);
    ack(12); // f5: [5,10) gapped, then the buffered bytes
    expect(out.slice(2)).toEqual(['gap @5+5 f3 acked-unseen', '@10 kl f3']);
  });

  it('an absurd ACK (≥ 2^30 ahead) is ignored', () => {
    const { out, push, ack } = setup();
    push(0, 'ab');
    ack(2 + 2 ** 30 + 1);
    expect(out).toEqual(['@0 ab f2']);
  });

  it('forgets delivered views once acked: a later differing copy is not compared', () => {
    const { out, push, ack, stats } = setup();
    push(0, 'abc');
    ack(3);
    push(0, 'XYZ');
    expect(out).toEqual(['@0 abc f2']);
    expect(stats).toMatchObject({ retransmissions: 1, conflictingOverlaps: 0 });
  });

  it('a snaplen-cut out-of-order segment: captured bytes, then a truncated gap, when reached', () => {
    const { out, push } = setup();
    push(4, 'ef', ACK, 4); // f2: [4,8) on the wire, [4,6) captured
    push(0, 'abcd'); // f3
    push(8, 'ij'); // f4
    expect(out).toEqual(['@0 abcd f3', '@4 ef f2', 'gap @6+2 f2 truncated', '@8 ij f4']);
  });

  it('release() stops buffering but keeps counting', () => {
    const { r, push, stats, account, out } = setup();
    push(5, 'xx');
    r.release();
    expect(account.used).toBe(0);
    expect(push(10, 'yy')).toBe('out-of-order');
    expect(account.used).toBe(0);
    expect(stats.outOfOrder).toBe(2);
    expect(out).toEqual([]);
  });
});

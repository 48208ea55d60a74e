import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../src/decode/segment.js';
import { History, recordSegment, type PayloadEvent } from '../../src/tcp/history.js';
import type { Direction } from '../../src/tcp/stream.js';

const { SYN, ACK, FIN, RST, PSH } = TcpFlag;

type Step = [Direction, number, boolean, PayloadEvent, boolean?];

function run(steps: Step[]): string {
  const h = new History();
  for (const [dir, flags, hasPayload, payload, zw] of steps) recordSegment(h, dir, flags, hasPayload, payload, zw ?? false);
  return h.text;
}

describe('history', () => {
  it.each<[string, Step[], string]>([
    [
      'short HTTP connection, client closes first',
      [
        ['client', SYN, false, null],
        ['server', SYN | ACK, false, null],
        ['client', ACK, false, null],
        ['client', PSH | ACK, true, 'data'],
        ['server', ACK, false, null],
        ['server', PSH | ACK, true, 'data'],
        ['client', FIN | ACK, false, null],
        ['server', FIN | ACK, false, null],
        ['client', ACK, false, null],
      ],
      'ShADadFf',
    ],
    ['refused', [['client', SYN, false, null], ['server', RST | ACK, false, null]], 'Sr'],
    ['letters once per direction', [['client', PSH | ACK, true, 'data'], ['client', PSH | ACK, true, 'data'], ['server', ACK, false, null], ['server', ACK, false, null]], 'Da'],
    ['retransmission and zero window', [['server', ACK, true, 'retransmission', true]], 'tw'],
    ['SYN+FIN is multi-flag', [['client', SYN | FIN, false, null]], 'QSF'],
    ['FIN+RST is inconsistent', [['server', FIN | RST | ACK, false, null]], 'ifr'],
    ['data with FIN: data letter first', [['client', FIN | PSH | ACK, true, 'data']], 'DF'],
    ['a keep-alive byte is neither data nor a pure ACK', [['client', ACK, true, null]], ''],
  ])('%s', (_name, steps, want) => {
    expect(run(steps)).toBe(want);
  });

  it('records gap and flip letters once, with case by direction', () => {
    const h = new History();
    expect(h.record('flipped', 'client')).toBe(true);
    expect(h.record('gap', 'server')).toBe(true);
    expect(h.record('gap', 'server')).toBe(false);
    expect(h.record('gap', 'client')).toBe(true);
    expect(h.text).toBe('^gG');
  });
});

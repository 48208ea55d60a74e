import { describe, expect, it } from 'vitest';
import { closingOf } from '../../src/model/closing.js';
import type { ConnectionRecord } from '../../src/tcp/connection.js';

/** A record whose server sent FIN at `finTime` (frame 11), the client's FIN after it. */
const closedByServer = (finTime: number): ConnectionRecord =>
  ({ teardown: { kind: 'fin', closedFirstBy: 'server', serverFin: { frame: 11, time: finTime }, clientFin: { frame: 12, time: finTime + 0.001 }, clientRst: null, serverRst: null, halfClosed: false } }) as unknown as ConnectionRecord;

describe('closingOf', () => {
  it('idle time: from the end of the last exchange to the first close', () => {
    expect(closingOf(closedByServer(5.0), 3.0, null, null, false).idleBefore).toBe(2);
  });

  it('a request sent before the close and never answered: the connection was not idle (50: the upstream died with GET /crash waiting)', () => {
    expect(closingOf(closedByServer(0.007), 0.005, 0.0065, null, false)).toMatchObject({ first: { frame: 11, by: 'server', kind: 'fin' }, idleBefore: null });
  });

  it('a request sent after the close (the reuse race) leaves the idle time before the close', () => {
    expect(closingOf(closedByServer(2.0), 0.004, 2.0005, null, false).idleBefore).toBe(1.996);
  });
});

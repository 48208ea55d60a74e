import { describe, expect, it } from 'vitest';
import rule from '../../rules/unmatched-response.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief, doubleResponse, midStreamResponse } from './connection-fixtures.js';

describe('unmatched-response', () => {
  it('is a warning', () => {
    expect(rule.severity).toBe('warning');
  });

  it('a second 200 for one GET (synthetic)', async () => {
    expect(brief(await runRules(doubleResponse(), [rule]))).toEqual([
      {
        ruleId: 'unmatched-response',
        message: 'response HTTP/1.1 200 OK (frame 6) arrived with no request waiting for it on connection 1',
        connection: 1,
        exchange: 2,
        frames: [6],
      },
    ]);
  });

  it('not for the leading response of a connection picked up mid-stream', async () => {
    expect(await runRules(midStreamResponse(), [rule])).toEqual([]);
  });

  it('not on pipelined responses (11, 20)', async () => {
    expect(await runRules('11-max-requests-per-socket.pcapng', [rule])).toEqual([]);
    expect(await runRules('20-pipelining.pcapng', [rule])).toEqual([]);
  });
});

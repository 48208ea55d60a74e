import { describe, expect, it } from 'vitest';
import rule from '../../rules/pipelining.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief } from './connection-fixtures.js';

describe('pipelining', () => {
  it('is a note', () => {
    expect(rule.severity).toBe('note');
  });

  it('20: /b and /c left in frame 4 with /a, before responses 1 and 2 completed', async () => {
    expect(brief(await runRules('20-pipelining.pcapng', [rule]))).toEqual([
      {
        ruleId: 'pipelining',
        message: 'GET /b HTTP/1.1 (frame 4) was sent before response 1 had completed (it ended in frame 6)',
        connection: 1,
        exchange: 2,
        frames: [4, 6],
      },
      {
        ruleId: 'pipelining',
        message: 'GET /c HTTP/1.1 (frame 4) was sent before response 2 had completed (it ended in frame 8)',
        connection: 1,
        exchange: 3,
        frames: [4, 8],
      },
    ]);
  });

  it('11: requests 2–4 pipelined', async () => {
    expect(brief(await runRules('11-max-requests-per-socket.pcapng', [rule])).map((f) => [f.exchange, f.frames])).toEqual([
      [2, [4, 6]],
      [3, [4, 8]],
      [4, [4, 10]],
    ]);
  });

  it('not on sequential keep-alive reuse (02)', async () => {
    expect(await runRules('02-keepalive-agent.pcapng', [rule])).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import rule from '../../rules/pipelining.js';
import { runRules } from '../helpers/rule-harness.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { brief, get, ok } from './connection-fixtures.js';

describe('pipelining', () => {
  it('is a note', () => {
    expect(rule.severity).toBe('note');
  });

  it('20: /b and /c left in frame 4 with /a: the first pipelined request at once, the other at the close', async () => {
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
        message: '1 more request on connection 1 (exchange 3, frame 4) was also sent before the previous response had completed',
        connection: 1,
        exchange: 3,
        frames: [4],
      },
    ]);
  });

  it('11: requests 2–4 pipelined: request 2, then requests 3 and 4 in one finding', async () => {
    expect(brief(await runRules('11-max-requests-per-socket.pcapng', [rule])).map((f) => [f.exchange, f.frames, f.message])).toEqual([
      [2, [4, 6], 'GET /2 HTTP/1.1 (frame 4) was sent before response 1 had completed (it ended in frame 6)'],
      [3, [4], '2 more requests on connection 1 (exchanges 3–4, frame 4) were also sent before the previous response had completed'],
    ]);
  });

  it('a load tool pipelining many requests: two findings per connection, not one per request (synthetic)', async () => {
    const cap = new SyntheticCapture();
    const c = cap.conversation().handshake(); // 1–3
    c.send('client', get('/1') + get('/2') + get('/3')); // 4: three requests at once
    c.send('server', ok()).send('server', ok()); // 5, 6
    c.send('client', get('/4') + get('/5')); // 7: two more before response 3
    c.send('server', ok()).send('server', ok()).send('server', ok()).fin('client').fin('server'); // 8–12
    expect(brief(await runRules(cap.writeTemp('pipelined.pcapng'), [rule])).map((f) => [f.exchange, f.frames, f.message])).toEqual([
      [2, [4, 5], 'GET /2 HTTP/1.1 (frame 4) was sent before response 1 had completed (it ended in frame 5)'],
      [3, [4, 7], '3 more requests on connection 1 (exchanges 3–5, frames 4–7) were also sent before the previous response had completed'],
    ]);
  });

  it('not on sequential keep-alive reuse (02)', async () => {
    expect(await runRules('02-keepalive-agent.pcapng', [rule])).toEqual([]);
  });
});

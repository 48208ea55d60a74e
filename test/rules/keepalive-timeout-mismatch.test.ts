import { describe, expect, it } from 'vitest';
import rule from '../../rules/keepalive-timeout-mismatch.js';
import { runRules } from '../helpers/rule-harness.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { brief, earlyIdleClose, get, ok } from './connection-fixtures.js';

describe('keepalive-timeout-mismatch', () => {
  it('is a warning with a tolerance option', () => {
    expect(rule.severity).toBe('warning');
    expect(rule.options?.tolerance.default).toBe(1);
  });

  it('timeout=5 advertised, idle close after 1 s, a new connection accepted afterwards (synthetic)', async () => {
    expect(brief(await runRules(earlyIdleClose(), [rule]))).toEqual([
      {
        ruleId: 'keepalive-timeout-mismatch',
        message:
          'response 1 advertised Keep-Alive: timeout=5 (frame 5), but the server closed the idle connection after 1.001s (frame 6) and went on serving (connection 2, SYN frame 8)',
        connection: 1,
        exchange: 1,
        frames: [5, 6, 8],
      },
    ]);
  });

  it('not when nothing follows the close (a shutdown), and not on 23 (graceful close: idle closed at once, the other connection began before)', async () => {
    expect(await runRules(earlyIdleClose(false), [rule])).toEqual([]);
    expect(await runRules('23-graceful-close.pcapng', [rule])).toEqual([]);
  });

  it('not on a restart: connections refused between the idle close and the next one served (53, and synthetic)', async () => {
    // 53: the server's FIN 2 ms after Keep-Alive: timeout=5 was server.close(); SYNs 11–21 refused; a new server accepts SYN 23.
    expect(await runRules('53-server-restart.pcapng', [rule])).toEqual([]);
    const cap = new SyntheticCapture();
    const first = cap.conversation().handshake().send('client', get('/1')).send('server', ok('Keep-Alive: timeout=10\r\n')).wait(2).fin('server'); // frames 1–6
    cap.conversation().wait(0.1).syn().rst('server'); // frames 7–8: refused, the server has gone
    first.fin('client'); // frame 9: the early-closed connection's record comes after the refusal's
    cap.conversation().wait(0.1).handshake().send('client', get('/2')).send('server', ok()).fin('client').fin('server'); // 10–16: served again
    expect(await runRules(cap.writeTemp(), [rule])).toEqual([]);
  });

  it('but a refusal after the next connection was served does not excuse the early close', async () => {
    const cap = new SyntheticCapture();
    cap.conversation().handshake().send('client', get('/1')).send('server', ok('Keep-Alive: timeout=10\r\n')).wait(2).fin('server').fin('client'); // frames 1–7
    cap.conversation().handshake().send('client', get('/2')).send('server', ok()).fin('client').fin('server'); // frames 8–14: served after the close
    cap.conversation().wait(1).syn().rst('server'); // frames 15–16: later, a restart
    expect(brief(await runRules(cap.writeTemp(), [rule])).map((f) => f.frames)).toEqual([[5, 6, 8]]);
  });

  it('not on 19 / 09: Node closes after timeout + 1 s, later than advertised', async () => {
    expect(await runRules('19-keepalive-reuse-race.pcapng', [rule])).toEqual([]);
    expect(await runRules('09-content-length-underrun.pcapng', [rule])).toEqual([]);
  });

  it('a larger tolerance accepts the early close', async () => {
    expect(await runRules(earlyIdleClose(), [rule], { 'keepalive-timeout-mismatch': { tolerance: 4.5 } })).toEqual([]);
  });

  it('also when the later connection ends before the early-closed one (its client FIN comes last)', async () => {
    const cap = new SyntheticCapture();
    const first = cap.conversation().handshake().send('client', get('/1')).send('server', ok('Keep-Alive: timeout=10\r\n')).wait(2).fin('server'); // frames 1–6
    cap.conversation().handshake().send('client', get('/2')).send('server', ok('Keep-Alive: timeout=10\r\n')).fin('client').fin('server'); // frames 7–13
    first.fin('client'); // frame 14
    expect(brief(await runRules(cap.writeTemp(), [rule]))).toEqual([
      {
        ruleId: 'keepalive-timeout-mismatch',
        message:
          'response 1 advertised Keep-Alive: timeout=10 (frame 5), but the server closed the idle connection after 2.001s (frame 6) and went on serving (connection 2, SYN frame 7)',
        connection: 1,
        exchange: 1,
        frames: [5, 6, 7],
      },
    ]);
  });
});

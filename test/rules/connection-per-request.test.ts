import { describe, expect, it } from 'vitest';
import rule from '../../rules/connection-per-request.js';
import { runRules } from '../helpers/rule-harness.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { brief, get, ok } from './connection-fixtures.js';

describe('connection-per-request', () => {
  it('is a warning with its thresholds as options', () => {
    expect(rule.id).toBe('connection-per-request');
    expect(rule.severity).toBe('warning');
    expect(rule.docs).toBe('https://nodejs.org/docs/latest-v20.x/api/http.html#new-agentoptions');
    expect(rule.options?.minConnections.default).toBe(2);
    expect(rule.options?.hintLimit.default).toBe(2);
  });

  it('01 (agent: false): three Connection: close connections to one server, reported once at the end with the handshake time', async () => {
    expect(brief(await runRules('01-agent-false.pcapng', [rule]))).toEqual([
      {
        ruleId: 'connection-per-request',
        message:
          '3 connections from 127.0.0.1 to 127.0.0.1:5101 each carried one exchange and were closed after it (connections 1, 2, 3; SYN in frames 1, 11, 21): 3 handshakes took 176µs in all; why: the client\'s requests asked for it (Connection: close or HTTP/1.0: 3)',
        connection: null,
        exchange: null,
        frames: [1, 11, 21],
      },
    ]);
  });

  it('tour: only the pair of scenario 01 qualifies among ten connections', async () => {
    const findings = await runRules('tour.pcapng', [rule]);
    expect(findings.map((f) => f.frames)).toEqual([[1, 11, 21]]);
  });

  it('02b (timeout=1 hint) is keepalive-hint-too-short\'s case; 23 (graceful close) has one qualifying connection only', async () => {
    expect(await runRules('02b-keepalive-hint-too-short.pcapng', [rule])).toEqual([]);
    expect(await runRules('23-graceful-close.pcapng', [rule])).toEqual([]);
  });

  it('48: curl run once per request is left out (its User-Agent), as are closes after an error or for HTTP/1.0 — only the agent: false GETs count', async () => {
    expect(rule.options?.oneShotClients.default).toBe('curl/,Wget/,HTTPie/,ApacheBench/');
    expect(brief(await runRules('48-curl-per-request.pcapng', [rule])).map((f) => f.frames)).toEqual([[41, 49]]);
  });

  it('48 with oneShotClients empty: every curl connection counts — closed by curl right after its answer (the 404 too), or HTTP/1.0 without keep-alive', async () => {
    const findings = brief(await runRules('48-curl-per-request.pcapng', [rule], { 'connection-per-request': { oneShotClients: '' } }));
    expect(findings.map((f) => f.frames)).toEqual([[1, 11, 21, 31, 41, 49]]);
    expect(findings[0].message).toContain('6 connections from 127.0.0.1 to 127.0.0.1:5149 each carried one exchange and were closed after it (connections 1, 2, 3, 4, 5, 6;');
    // Which side to fix: the agent: false GETs and curl's HTTP/1.0 asked; the other curl runs just exited.
    expect(findings[0].message).toMatch(/; why: the client's requests asked for it \(Connection: close or HTTP\/1\.0: 3\), the client closed unasked right after the response \(3\)$/);
  });

  it("says when the server's successful responses forced the close (Connection: close on a 200 to a keep-alive request)", async () => {
    const cap = new SyntheticCapture();
    for (let i = 1; i <= 3; i++) {
      cap.conversation().handshake().send('client', get(`/${i}`)).send('server', ok('Connection: close\r\n')).fin('server').fin('client');
    }
    const [finding] = brief(await runRules(cap.writeTemp('server-close.pcapng'), [rule]));
    expect(finding.message).toMatch(/: 3 handshakes took [\d.]+ms in all; why: the server's successful responses said Connection: close \(3\)$/);
  });

  it('a server closing after an error response is not counted: 47 (413 + Connection: close) twice would still be nothing', async () => {
    expect(await runRules('47-upload-refused-early.pcapng', [rule], { 'connection-per-request': { minConnections: 1 } })).toEqual([]);
    // The same option makes 01's three connections count one by one: minConnections 1 is honoured.
    expect(brief(await runRules('01-agent-false.pcapng', [rule], { 'connection-per-request': { minConnections: 1 } })).map((f) => f.frames)).toEqual([[1, 11, 21]]);
  });

  it('minConnections raises the bar', async () => {
    expect(await runRules('01-agent-false.pcapng', [rule], { 'connection-per-request': { minConnections: 4 } })).toEqual([]);
  });
});

/**
 * `wirelens export --format har` through the real process on the scenario recordings: every
 * capture's HAR is valid per har-validator (the HAR 1.2 JSON schemas), and the entries carry the
 * recorded facts — headers as sent, frame numbers, sizes, timings from the wire, 1xx responses in
 * `_interim`, findings in `_findings`.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { realCaptures } from '../helpers/captures.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { ensureBuilt, wirelensProcess } from '../helpers/process.js';
import { tempDir } from '../helpers/temp.js';

const require = createRequire(import.meta.url);
const validator = require('har-validator') as { har(data: unknown): Promise<unknown> };

interface Har {
  log: { version: string; creator: { name: string }; entries: Entry[]; _findings: Array<{ ruleId: string; connection: number | null; frames: number[] }> };
}
// The entry's shape as the tests read it.
type Entry = Record<string, any>;

function har(...args: string[]): Har {
  const r = wirelensProcess(['export', '--format', 'har', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Har;
}

beforeAll(() => ensureBuilt('src/cli/export.js'));

describe('HAR export', () => {
  it.each(realCaptures())('%s is valid HAR 1.2 (har-validator), one entry per exchange', async (name) => {
    const r = wirelensProcess(['export', '--format', 'har', '--bodies', `captures/${name}`]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Har;
    // Resolves with the document when valid; rejects with the schema errors otherwise.
    await expect(validator.har(doc)).resolves.toEqual(doc);
    const report = JSON.parse(wirelensProcess(['report', '--json', `captures/${name}`]).stdout) as { exchanges: number };
    expect(doc.log.entries).toHaveLength(report.exchanges);
  });

  it('100 Continue: headers exactly as sent, the 1xx in _interim, frames, sizes and wire timings', () => {
    const [e] = har('captures/18-expect-100-continue.pcapng').log.entries;
    expect(e.request).toEqual({
      method: 'PUT',
      url: 'http://127.0.0.1:5118/upload',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [
        { name: 'Expect', value: '100-continue' },
        { name: 'Content-Type', value: 'text/plain' },
        { name: 'Content-Length', value: '33' },
        { name: 'Host', value: '127.0.0.1:5118' },
        { name: 'Connection', value: 'keep-alive' },
      ],
      queryString: [],
      headersSize: 138,
      bodySize: 33,
    });
    expect(e.response.status).toBe(200);
    expect(e.response.headersSize).toBe(123);
    expect(e.response.bodySize).toBe(18);
    // 25 B of 100 Continue head + 123 B head + 18 B body.
    expect(e.response._transferSize).toBe(166);
    expect(e._interim).toEqual([{ status: 100, statusText: 'Continue', httpVersion: 'HTTP/1.1', headers: [], headersSize: 25, _frames: [6] }]);
    expect(e._frames).toEqual({ requestHeaders: [4], requestBody: [8], responseHeaders: [9], responseBody: [9] });
    expect(e._packing).toEqual({ request: 'headers-only-segment', response: 'packed' });
    expect([e._connectionId, e._exchange, e._reused, e.connection, e.serverIPAddress]).toEqual([1, 1, false, '1', '127.0.0.1']);
    // connect = SYN → handshake ACK, wait = TTFB (1.367 ms), and time is the sum of the phases.
    expect(e.timings).toEqual({ blocked: 2.405, dns: -1, connect: 0.054, send: 2.403, wait: 1.367, receive: 2.681, ssl: -1 });
    expect(e.time).toBe(8.91);
    expect(e.startedDateTime).toBe('2026-11-22T07:50:09.829Z');
  });

  it('keep-alive reuse: connect only on the first exchange; later ones _reused', () => {
    const entries = har('captures/02-keepalive-agent.pcapng').log.entries;
    expect(entries.map((e) => [e._connectionId, e._exchange, e._reused, e.request.url, e.timings.connect])).toEqual([
      [1, 1, false, 'http://127.0.0.1:5102/1', 0.04],
      [1, 2, true, 'http://127.0.0.1:5102/2', -1],
      [1, 3, true, 'http://127.0.0.1:5102/3', -1],
    ]);
    expect(entries.map((e) => e._frames.requestHeaders[0])).toEqual([4, 8, 13]);
  });

  it('a finding on an exchange is in its _findings; capture-wide findings at log level', () => {
    const overrun = har('captures/08-content-length-overrun.pcapng').log;
    // Node's verdict (on by default) rejects the excess byte too: the overrun's finding cites it, no second finding.
    expect(overrun.entries.map((e) => e._findings)).toEqual([['content-length-overrun']]);
    expect(overrun._findings).toEqual([]);
    const perRequest = har('captures/01-agent-false.pcapng').log;
    expect(perRequest._findings.map((f) => [f.ruleId, f.connection, f.frames])).toEqual([['connection-per-request', null, [1, 11, 21]]]);
  });

  it('--bodies: the request body as postData, the response body as content.text', () => {
    const [e] = har('--bodies', 'captures/26-post-json.pcapng').log.entries;
    expect(e.request.postData).toEqual({ mimeType: 'application/json', text: '{"name":"wirelens","kind":"capture analyzer"}' });
    expect(e.response.content).toEqual({ size: 53, mimeType: 'application/json', text: '{"id":42,"name":"wirelens","kind":"capture analyzer"}' });
    // Without --bodies there are none.
    const [plain] = har('captures/26-post-json.pcapng').log.entries;
    expect([plain.request.postData, plain.response.content.text]).toEqual([undefined, undefined]);
  });

  it('--bodies and a gzip body kept whole: content.size is the decoded length, compression the bytes saved (as HAR defines them)', async () => {
    const text = JSON.stringify(Array.from({ length: 40 }, (_, i) => ({ id: i, name: `item ${i}` })));
    const gz = gzipSync(text);
    const head = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${gz.length}\r\n\r\n`;
    const cap = new SyntheticCapture();
    cap.conversation().handshake().send('client', 'GET /items HTTP/1.1\r\nHost: a\r\n\r\n').send('server', new Uint8Array([...Buffer.from(head, 'latin1'), ...gz])).fin('client').fin('server').ack('client');
    const file = join(tempDir('har'), 'gzip.pcapng');
    writeFileSync(file, cap.toPcapng());
    const doc = har('--bodies', file);
    const [e] = doc.log.entries;
    expect(e.response.bodySize).toBe(gz.length);
    expect(e.response.content).toEqual({ size: text.length, compression: text.length - gz.length, mimeType: 'application/json', text });
    await expect(validator.har(doc)).resolves.toEqual(doc);
    // Without --bodies nothing is decoded: the size is the body as sent.
    expect(har(file).log.entries[0].response.content).toEqual({ size: gz.length, mimeType: 'application/json' });
  });

  it('an exchange without a response: status 0 and _error, as browsers record a failed request', () => {
    const [e] = har('captures/21-req-destroy.pcapng').log.entries;
    expect([e.request.method, e.request.url, e._frames.requestHeaders]).toEqual(['GET', 'http://127.0.0.1:5121/', [4]]);
    expect([e.response.status, e.response._error, e.response.headersSize, e.response.bodySize]).toEqual([0, 'no response (server-fin)', -1, -1]);
    expect(e._findings).toEqual(['empty-reply']);
    // A response the capture lost was sent: the entry says so rather than "no response".
    const lost = har('captures/42-capture-loss.pcapng').log.entries[1];
    expect([lost.request.url, lost.response.status, lost.response._error]).toEqual(['http://127.0.0.1:5143/item/2', 0, 'response not captured (lost in a capture gap)']);
    // A request whose body never came: sent for 0 ms (it never ended), waited 1598.719 ms for the 408.
    const [slow] = har('captures/13-body-never-sent.pcapng').log.entries;
    expect([slow.request.method, slow.response.status, slow.timings.wait, slow._findings]).toEqual(['POST', 408, 1598.719, ['request-timeout']]);
  });
});

/**
 * The HTTP messages of `report --json` against tshark's HTTP dissector, on every real capture
 * (ports 5101–5139 are not HTTP ports to tshark, hence `--enable-heuristic http_tcp`):
 *   - the complete requests, as (method, URI, frame), equal tshark's `-Y http.request` list;
 *   - the complete responses (interim ones included), as (status, frame), equal `-Y http.response`.
 * tshark names the frame in which it finished reassembling a message: our message's `endFrame` —
 * for a close-delimited body (Node's own 400/408/431) that is the server's FIN, in tshark and (since
 * schemaVersion 2) in wirelens alike, while `frames` lists the frames that carried the bytes.
 *
 * Where tshark differs by design (it drops incomplete messages and the excess byte of a
 * Content-Length overrun), the second block asserts that wirelens reports them, marked.
 */
import { describe, expect, it } from 'vitest';
import { capture, realCaptures } from '../helpers/captures.js';
import { reportJson, type NestedReport } from '../helpers/report-json.js';
import { tshark } from '../helpers/tshark.js';

/** Separates the values of a multi-occurrence field (pipelined requests in one frame). */
const AGG = '\x01';

const model = (name: string): Promise<NestedReport> => reportJson(name);

function tsharkRows(name: string, filter: string, fields: string[]): string[][] {
  const out = tshark(['-r', capture(name), '--enable-heuristic', 'http_tcp', '-E', `aggregator=${AGG}`, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t'));
}

/** tshark's requests as "METHOD URI @frame", several per frame when pipelined. */
function tsharkRequests(name: string): string[] {
  return tsharkRows(name, 'http.request', ['frame.number', 'http.request.method', 'http.request.uri']).flatMap(([frame, methods, uris]) => {
    const u = uris.split(AGG);
    return methods.split(AGG).map((m, i) => `${m} ${u[i]} @${frame}`);
  });
}

function tsharkResponses(name: string): string[] {
  return tsharkRows(name, 'http.response', ['frame.number', 'http.response.code']).flatMap(([frame, codes]) => codes.split(AGG).map((c) => `${c} @${frame}`));
}

function ourRequests(m: NestedReport): string[] {
  return m.connections.flatMap((c) =>
    c.exchanges.flatMap((x) => (x.request?.complete ? [`${x.request.method} ${x.request.target} @${x.request.frames.at(-1)}`] : [])),
  );
}

function ourResponses(m: NestedReport): string[] {
  return m.connections.flatMap((c) =>
    c.exchanges.flatMap((x) =>
      [...x.interim, x.response].filter((r) => r !== null && r.complete).map((r) => `${r!.status} @${r!.endFrame}`),
    ),
  );
}

const CAPTURES = realCaptures();

/**
 * Messages tshark lists where wirelens, by design, has no complete message (asserted in the
 * second block): tshark's chunked decoder ends the body at a chunk-size line it cannot read (31's
 * `zz`), and it lists a request and a response from the start lines of frames the snap length cut (39).
 */
const TSHARK_ONLY: Record<string, { requests: string[]; responses: string[] }> = {
  '31-invalid-chunk.pcapng': { requests: [], responses: ['200 @6'] },
  '39-snaplen-96.pcapng': { requests: ['GET / @4'], responses: ['200 @6'] },
};

/** tshark's list without the entries it alone has, after checking they are there. */
function withoutTsharkOnly(list: string[], only: string[]): string[] {
  expect(list.filter((x) => only.includes(x))).toEqual(only);
  return list.filter((x) => !only.includes(x));
}

describe('complete HTTP messages equal tshark’s', () => {
  it('covers every scenario capture and the tour', () => {
    expect(CAPTURES.length).toBeGreaterThanOrEqual(28);
    expect(CAPTURES).toContain('tour.pcapng');
  });

  it.each(CAPTURES)('%s', async (name) => {
    const m = await model(name);
    const only = TSHARK_ONLY[name] ?? { requests: [], responses: [] };
    expect(ourRequests(m)).toEqual(withoutTsharkOnly(tsharkRequests(name), only.requests));
    expect(ourResponses(m)).toEqual(withoutTsharkOnly(tsharkResponses(name), only.responses));
  });

  it('spot check: the lists are not trivially empty (11: four pipelined GETs in frame 4; tour: 12 requests)', async () => {
    expect(tsharkRequests('11-max-requests-per-socket.pcapng')).toEqual(['GET /1 @4', 'GET /2 @4', 'GET /3 @4', 'GET /4 @4']);
    expect(tsharkResponses('11-max-requests-per-socket.pcapng')).toEqual(['200 @6', '200 @8', '200 @10', '503 @12']);
    expect(ourRequests(await model('tour.pcapng'))).toHaveLength(12);
    expect(ourResponses(await model('18-expect-100-continue.pcapng'))).toEqual(['100 @6', '200 @9']);
    // Close-delimited 408: the bytes in frame 10, the end at the FIN in frame 12 (where tshark puts it too).
    const m12 = await model('12-incomplete-headers.pcapng');
    expect(m12.connections[0].exchanges[0].response).toMatchObject({ frames: [10], endFrame: 12, framing: { kind: 'close' } });
    expect(tsharkResponses('12-incomplete-headers.pcapng')).toEqual(['408 @12']);
  });
});

describe('where tshark is silent by design, wirelens still reports', () => {
  it('12: the unfinished request before the 408 (tshark lists no request at all)', async () => {
    expect(tsharkRequests('12-incomplete-headers.pcapng')).toEqual([]);
    const x = (await model('12-incomplete-headers.pcapng')).connections[0].exchanges[0];
    expect(x.request).toMatchObject({
      method: 'POST',
      target: '/user',
      complete: false,
      framing: null,
      frames: [4, 6, 8],
      packing: { verdict: 'incomplete', headerSplit: true, headerFrames: [4, 6, 8] },
      deviations: [{ code: 'truncated-by-close', offset: 75, frames: [8] }],
    });
    expect(x.response).toMatchObject({ status: 408, complete: true });
  });

  it('13: a request whose declared 3-byte body never came (tshark: no request)', async () => {
    expect(tsharkRequests('13-body-never-sent.pcapng')).toEqual([]);
    const x = (await model('13-body-never-sent.pcapng')).connections[0].exchanges[0];
    expect(x.request).toMatchObject({
      method: 'POST',
      target: '/upload',
      complete: false,
      framing: { kind: 'content-length', declared: 3, actualBodyBytes: 0 },
      packing: { verdict: 'incomplete' },
      deviations: [{ code: 'truncated-by-close', offset: 116, frames: [4], length: 3 }],
    });
  });

  it('09: the short body (2 of 3 bytes) — tshark lists no response', async () => {
    expect(tsharkResponses('09-content-length-underrun.pcapng')).toEqual([]);
    const res = (await model('09-content-length-underrun.pcapng')).connections[0].exchanges[0].response;
    expect(res).toMatchObject({ status: 200, complete: false, framing: { declared: 3, actualBodyBytes: 2 }, deviations: [{ code: 'truncated-by-close', length: 1 }] });
  });

  it('04: headers flushed, the chunked body never ended — tshark lists no response', async () => {
    expect(tsharkResponses('04-flushheaders-no-end.pcapng')).toEqual([]);
    const res = (await model('04-flushheaders-no-end.pcapng')).connections[0].exchanges[0].response;
    expect(res).toMatchObject({
      status: 200,
      complete: false,
      frames: [6],
      framing: { kind: 'chunked', chunks: 0, lastChunk: false },
      packing: { verdict: 'incomplete', headerFrames: [6], bodyFrames: [] },
      deviations: [{ code: 'truncated-by-close', offset: 157, frames: [6] }],
    });
  });

  it('31: the chunk-size line `zz` — tshark ends the body before it and lists the 200, wirelens marks it unframable', async () => {
    expect(tsharkResponses('31-invalid-chunk.pcapng')).toEqual(['200 @6']);
    const c = (await model('31-invalid-chunk.pcapng')).connections[0];
    expect(c.exchanges[0].response).toMatchObject({
      status: 200,
      complete: false,
      framing: { kind: 'chunked', chunks: 1, actualBodyBytes: 5, lastChunk: false },
      deviations: [{ code: 'invalid-chunk-size', frames: [6] }],
    });
    expect(c.deviations).toMatchObject([{ code: 'skipped-bytes', direction: 'server', length: 12, frames: [6] }]);
  });

  it('39: frames cut by the snap length — tshark lists the GET and the 200 from their start lines, wirelens marks both messages gapped', async () => {
    expect([tsharkRequests('39-snaplen-96.pcapng'), tsharkResponses('39-snaplen-96.pcapng')]).toEqual([['GET / @4'], ['200 @6']]);
    const x = (await model('39-snaplen-96.pcapng')).connections[0].exchanges[0];
    expect(x.request).toMatchObject({ method: 'GET', target: '/', complete: false, headSize: 30, deviations: [{ code: 'gap-in-message', frames: [4], length: 34 }] });
    expect(x.response).toMatchObject({ status: 200, complete: false, headSize: 30, deviations: [{ code: 'gap-in-message', frames: [6], length: 105 }] });
  });

  it('08: the overrun — tshark shows the 200 with a 3-byte body and drops the 4th byte silently', async () => {
    const [[frame, body, length]] = tsharkRows('08-content-length-overrun.pcapng', 'http.response', ['frame.number', 'http.file_data', 'http.content_length']);
    // file_data is text in tshark 4.0 and hex bytes in later versions.
    expect([frame, ['123', '313233'].includes(body), length]).toEqual(['6', true, '3']);
    const c = (await model('08-content-length-overrun.pcapng')).connections[0];
    expect(c.exchanges[0].response).toMatchObject({ status: 200, complete: true, framing: { declared: 3, actualBodyBytes: 3, excess: { bytes: 1, offset: 125, frames: [6] } } });
    expect(c.deviations).toMatchObject([{ code: 'excess-after-body', direction: 'server', offset: 125, length: 1, frames: [6], exchange: 1 }]);
  });
});

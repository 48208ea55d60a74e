import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analysis.js';
import { bodyLines, findingLines, hexDump, messageLines, tabBar } from '../../src/tui/detail.js';
import type { ExchangeModel } from '../../src/model/types.js';
import { capture } from '../helpers/captures.js';
import type { BodyView } from '../../src/model/types.js';
import type { Finding } from '../../src/lint/types.js';

function view(partial: Partial<BodyView>): BodyView {
  return { kept: 0, truncated: false, contentType: null, decodedFrom: null, decodedSize: null, text: null, base64: null, note: null, ...partial };
}

describe('detail tab text', () => {
  it('JSON bodies are pretty-printed, with the decoding said in the heading', () => {
    const lines = bodyLines(view({ kept: 31, contentType: 'application/json', decodedFrom: 'gzip', text: '{"a":[1,2],"b":"{red-fg}"}' }));
    expect(lines).toEqual([
      '{gray-fg}body 31 B, decoded from gzip, application/json{/gray-fg}',
      '{open}',
      '  "a": [',
      '    1,',
      '    2',
      '  ],',
      '  "b": "{open}red-fg{close}"',
      '{close}',
    ]);
  });

  it('binary bodies are hex and ASCII, 16 bytes a line', () => {
    const bytes = Buffer.from([0, 1, 0x41, 0x7f, ...Buffer.from('hello world!'), 0xff, 0x42]);
    expect(hexDump(bytes)).toEqual([
      '00000000  00 01 41 7f 68 65 6c 6c 6f 20 77 6f 72 6c 64 21  ..A.hello world!',
      '00000010  ff 42                                            .B',
    ]);
    expect(bodyLines(view({ kept: 18, base64: bytes.toString('base64') }))[1]).toBe('00000000  00 01 41 7f 68 65 6c 6c 6f 20 77 6f 72 6c 64 21  ..A.hello world!');
  });

  it('the tab bar highlights the current tab; findings carry their help, wrapped to the width', () => {
    expect(tabBar('Segments')).toBe('1 Request  2 Response  {inverse}3 Segments{/inverse}  4 Findings  5 Raw');
    const f = { ruleId: 'x-rule', severity: 'warning', title: 'T', message: 'm', connection: 1, exchange: 1, frames: [4, 6], help: 'one two three four five', docs: 'https://d' } as Finding;
    expect(findingLines([f], 12)).toEqual(['{yellow-fg}warning{/yellow-fg} {bold}x-rule{/bold}  T', '  m', '  {gray-fg}frames 4, 6{/gray-fg}', '', '  one two', '  three four', '  five', '  {gray-fg}https://d{/gray-fg}', '']);
  });

  it("Node's own verdict under a message it did not simply accept (the overrun's excess byte), none under one it did", async () => {
    const exchanges: ExchangeModel[] = [];
    await analyse(capture('08-content-length-overrun.pcapng'), { nodeVerdict: { maxHeaderSize: null, insecureHTTPParser: false } }, { exchange: (x) => exchanges.push(x) });
    const [x] = exchanges;
    const node = `node ${process.versions.node}, llhttp ${process.versions.llhttp}`;
    expect(messageLines(x.response, 'response', null, 400).filter((l) => l.includes('Node.js'))).toEqual([
      `{magenta-fg}Node.js:{/magenta-fg} HPE_INVALID_CONSTANT "Expected HTTP/, RTSP/ or ICE/" at offset 125 (frame 6); read as status 200, 4 fields, 3 B body; the request emits 'error' (HPE_INVALID_CONSTANT) and the socket is destroyed (${node})`,
    ]);
    expect(messageLines(x.request, 'request', null, 400).filter((l) => l.includes('Node.js'))).toEqual([]);
  });
});

describe('an exchange whose message the capture lost (42-capture-loss)', () => {
  it('the table says `lost` / `(not captured)` and the tab names the gap instead of "no response on the wire"', async () => {
    const { TuiStore } = await import('../../src/tui/store.js');
    const { exchangeRow } = await import('../../src/tui/rows.js');
    const store = new TuiStore();
    const models: ExchangeModel[] = [];
    await analyse(capture('42-capture-loss.pcapng'), {}, store);
    await analyse(capture('42-capture-loss.pcapng'), {}, { exchange: (x) => models.push(x) });
    const rows = store.connection(1)!.exchanges;
    expect(rows.map((x) => [x.index, x.target, x.statusText, x.lost])).toEqual([
      [1, '/item/1', '200', null],
      [2, '/item/2', 'lost', 'response'],
      [3, '/item/3', '200', null],
      [4, null, '200', 'request'],
      [5, '/item/5', '200', null],
      [6, '/item/6', 'lost', 'response'],
    ]);
    expect(exchangeRow(rows[3], '', 120).body).toMatch(/^4 +- +\(not captured\) +200 /);
    expect(messageLines(models[1].response, 'response', null, 200, models[1].lost)).toEqual([
      "{yellow-fg}response not captured: it fell in the 173 bytes of the server's stream missing at offset 173 (before frame 9){/yellow-fg}",
    ]);
    expect(messageLines(models[1].request, 'request', null, 200, models[1].lost)[0]).toBe('{bold}GET /item/2 HTTP/1.1{/bold}');
    expect(messageLines(null, 'response', null, 200, null)).toEqual(['{gray-fg}(no response on the wire){/gray-fg}']);
  });
});

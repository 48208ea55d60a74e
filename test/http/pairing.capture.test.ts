/**
 * Pairing across real capture loss (test/fixtures/kernel-drops.pcap: tcpdump dropped 1 645 packets
 * of four keep-alive connections). The server echoed each request's path in its JSON body, so the
 * right pairing is known from the bytes themselves.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { reportJson } from '../helpers/report-json.js';
import { runRules } from '../helpers/rule-harness.js';

const FILE = resolve(import.meta.dirname, '../fixtures/kernel-drops.pcap');
const VARIED = resolve(import.meta.dirname, '../fixtures/kernel-drops-varied.pcap');

/** The path each response's body echoes (a chunked body, a 20 KB one padded with spaces, or plain JSON). */
const echoedPath = (text: string | null | undefined): string | null => /"path":"([^"]*)"/.exec(text ?? '')?.[1] ?? null;

describe('pairing on a capture with kernel drops', () => {
  it('every response is paired with its own request (the path its body echoes); the lost ones are named', async () => {
    const doc = await reportJson(FILE, ['--bodies']);
    const exchanges = doc.connections.flatMap((c) => c.exchanges);
    expect(exchanges).toHaveLength(555);
    const both = exchanges.filter((x) => x.request !== null && x.response !== null);
    const echoed = both.map((x) => (JSON.parse(x.response?.body?.text ?? 'null') as { path: string }).path);
    expect(both.filter((x, i) => x.request?.target !== echoed[i]).map((x) => [x.connection, x.index])).toEqual([]);
    expect(both).toHaveLength(517);
    // A message missing from an exchange is always one the capture lost.
    const missing = exchanges.filter((x) => x.request === null || x.response === null);
    expect(missing.map((x) => x.lost?.message ?? 'unexplained').sort()).toEqual([...Array(18).fill('request'), ...Array(20).fill('response')]);
    expect(exchanges.filter((x) => x.pipelined)).toEqual([]);
  });

  it('varied shapes, late requests (kernel-drops-varied): every pair right, every missing message named, no finding but the gap', async () => {
    const doc = await reportJson(VARIED, ['--bodies', '--body-limit', '100']);
    const exchanges = doc.connections.flatMap((c) => c.exchanges);
    expect(exchanges).toHaveLength(235);
    const both = exchanges.filter((x) => x.request !== null && x.response !== null);
    expect(both.filter((x) => echoedPath(x.response?.body?.text) !== x.request?.target).map((x) => [x.index, x.request?.target, echoedPath(x.response?.body?.text)])).toEqual([]);
    expect(both).toHaveLength(201);
    expect(both.filter((x) => x.response?.framing?.kind === 'chunked').length).toBeGreaterThan(50);
    const missing = exchanges.filter((x) => x.request === null || x.response === null);
    expect(missing.map((x) => x.lost?.message ?? 'unexplained').sort()).toEqual([...Array(17).fill('request'), ...Array(17).fill('response')]);
    const findings = await runRules(VARIED, builtinRules);
    expect(findings.map((f) => f.ruleId)).toEqual(['capture-gap']);
  });

  it('lint: the capture gaps and nothing else (before: 322 pipelining notes, 6 no-response and 4 unmatched-response warnings)', async () => {
    const findings = await runRules(FILE, builtinRules);
    expect(findings.map((f) => [f.ruleId, f.connection]).sort()).toEqual([
      ['capture-gap', 1],
      ['capture-gap', 2],
      ['capture-gap', 3],
      ['capture-gap', 4],
    ]);
  });
});

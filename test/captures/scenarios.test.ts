/**
 * Every real capture under captures/ against its `<name>.expected.json` (the facts read back from
 * the file with tshark by captures/expected.mjs, see captures/README.md): `report --json` and
 * `conns --json` are projected onto the expected shape and compared with toEqual, so a failure
 * names the field that differs. The lo0 variants must also give exactly the output of the Linux
 * recordings they were written from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { connsJson, reportJson, type ConnsDocument, type NestedReport } from '../helpers/report-json.js';
import { CAPTURES_DIR, realCaptures } from '../helpers/captures.js';
import {
  type ExpectedFile,
  PUBLIC_RULE_IDS,
  REQUIRED,
  expectedConnsPart,
  expectedReportPart,
  lintAvailable,
  lintFindings,
  lintRuleIds,
  projectConns,
  projectReport,
  withTolerance,
} from './project.js';

const EXPECTED_FILES = readdirSync(CAPTURES_DIR).filter((f) => f.endsWith('.expected.json')).sort();
const expectedName = (capture: string): string => capture.replace(/\.(pcapng|pcap)$/, '.expected.json');
const load = (name: string): ExpectedFile => JSON.parse(readFileSync(join(CAPTURES_DIR, name), 'utf8')) as ExpectedFile;

// report --json nested into connections with their exchanges (test/helpers/report-json.ts).
const report = (capture: string) => reportJson(join(CAPTURES_DIR, capture));
const conns = (capture: string) => connsJson(join(CAPTURES_DIR, capture));

// One model per capture, shared by the blocks below.
const models = new Map<string, Promise<NestedReport>>();
const modelOf = (capture: string): Promise<NestedReport> => {
  if (!models.has(capture)) models.set(capture, report(capture));
  return models.get(capture) as Promise<NestedReport>;
};

describe('captures/*.expected.json', () => {
  it('every capture has an expected file and every expected file a capture', () => {
    expect(EXPECTED_FILES).toEqual(realCaptures().map(expectedName).sort());
  });

  it.each(EXPECTED_FILES)('%s has every required key', (name) => {
    const e = load(name);
    const missing: string[] = [];
    const need = (o: object | null, keys: readonly string[], where: string) => {
      if (o === null) return;
      for (const k of keys) if (!(k in o)) missing.push(`${where}.${k}`);
    };
    need(e, REQUIRED.file, 'file');
    expect(expectedName(e.capture)).toBe(name);
    e.connections.forEach((c, i) => {
      need(c, REQUIRED.connection, `connections[${i}]`);
      c.exchanges.forEach((x, j) => {
        need(x, REQUIRED.exchange, `connections[${i}].exchanges[${j}]`);
        need(x.request, REQUIRED.message, `connections[${i}].exchanges[${j}].request`);
        need(x.response, [...REQUIRED.message, 'status', 'framing'], `connections[${i}].exchanges[${j}].response`);
      });
    });
    expect(missing).toEqual([]);
  });
});

for (const name of EXPECTED_FILES) {
  const expected = load(name);
  describe(`${expected.capture}: ${expected.description}`, () => {
    let model: NestedReport;
    let connsOut: ConnsDocument;
    beforeAll(async () => {
      model = await modelOf(expected.capture);
      connsOut = await conns(expected.capture);
    });

    it('report --json: connections, exchanges, messages as verified with tshark', () => {
      expect(model.error).toBeNull();
      expect(projectReport(model, expected)).toEqual(withTolerance(expectedReportPart(expected)));
    });

    it('conns --json: handshake and close as verified with tshark', () => {
      expect(projectConns(connsOut)).toEqual(expectedConnsPart(expected));
    });
  });
}

// The rule ids each scenario must produce (BEHAVIOURS §4, captures/catalog.mjs).
const LINT = lintAvailable();
describe(
  LINT
    ? 'rules: the lint findings of each capture are exactly its expected rule ids'
    : 'rules: expected rule ids are public BEHAVIOURS §2 ids (src/lint/index.ts does not exist yet; once it does, this block compares them with the lint findings)',
  () => {
    it.each(EXPECTED_FILES)('%s', async (name) => {
      const e = load(name);
      const ids = [...e.rules, ...(e.rulesAnyOf ?? [])];
      for (const id of ids) expect(PUBLIC_RULE_IDS as readonly string[], `${name}: "${id}" is not a BEHAVIOURS §2 rule id`).toContain(id);
      expect(new Set(e.rules).size).toBe(e.rules.length);
      if (!LINT) return;
      // wirelens' own rules (BEHAVIOURS §4): Node's verdict is checked on its own below.
      const found = await lintRuleIds(await modelOf(e.capture), { nodeVerdict: null });
      // Exactly the listed ids, plus at least one of rulesAnyOf when there is such a list.
      const extra = found.filter((id) => !ids.includes(id));
      expect({ missing: e.rules.filter((id) => !found.includes(id)), unexpected: extra }).toEqual({ missing: [], unexpected: [] });
      if (e.rulesAnyOf?.length) expect(found.some((id) => e.rulesAnyOf?.includes(id)), `one of ${e.rulesAnyOf.join(', ')}`).toBe(true);
    });

    // Node's own verdict is on by default: it must say nothing of the clean recordings, and where Node
    // rejects the bytes, the finding that explains the problem cites it (one finding per problem).
    it.runIf(LINT)("Node's verdict is cited on exactly the recordings whose bytes Node rejects (overrun, header overflow, garbage request line, body after HEAD, chunk size, CL with TE), by the rule that explains each; node-parser-error adds nothing to them", async () => {
      const cited: string[] = [];
      for (const name of EXPECTED_FILES) {
        const capture = load(name).capture;
        const findings = await lintFindings(await modelOf(capture));
        expect(findings.filter((f) => f.ruleId === 'node-parser-error'), capture).toEqual([]);
        const citing = findings.filter((f) => f.message.includes(' — Node.js (node ') && / HPE_[A-Z_]+ /.test(f.message)).map((f) => f.ruleId);
        if (citing.length > 0) cited.push(`${capture}: ${[...new Set(citing)].join(', ')}`);
      }
      expect(cited).toEqual([
        '08-content-length-overrun.pcapng: content-length-overrun',
        '08-content-length-overrun.lo0.pcapng: content-length-overrun',
        '14-header-overflow.pcapng: header-overflow',
        '15-garbage-request-line.pcapng: malformed-message',
        '30-head-with-body.pcapng: body-not-allowed',
        '31-invalid-chunk.pcapng: invalid-chunk',
        '34-conflicting-framing.pcapng: conflicting-framing',
        'tour.pcapng: content-length-overrun',
      ]);
    });
  },
);

// captures/make-lo0.mjs rewrote these Linux recordings with a NULL (BSD loopback) link layer:
// everything above the link layer must come out the same.
const LO0 = realCaptures().filter((f) => f.endsWith('.lo0.pcapng'));
describe('lo0 variants give the same analysis as the Linux recordings', () => {
  it('there are lo0 variants to compare', () => {
    expect(LO0.length).toBeGreaterThan(0);
  });

  describe.each(LO0)('%s', (lo0) => {
    const source = lo0.replace('.lo0.pcapng', '.pcapng');

    it(`report --json equals that of ${source} in every connection and exchange field`, async () => {
      const [a, b] = await Promise.all([modelOf(lo0), modelOf(source)]);
      // Only the file differs: its name, and its size (a 4-byte NULL header per frame instead of Ethernet's 14).
      expect(a.bytes).toBeLessThan(b.bytes);
      expect({ ...a, file: source, bytes: b.bytes }).toEqual({ ...b, file: source });
    });

    it(`conns --json equals that of ${source}`, async () => {
      const [a, b] = await Promise.all([conns(lo0), conns(source)]);
      expect({ ...a, file: b.file, bytes: b.bytes }).toEqual(b);
    });
  });
});

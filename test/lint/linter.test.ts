import { beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analysis.js';
import { activeRules, resolveRules, type ActiveRule } from '../../src/lint/config.js';
import { lintFile } from '../../src/lint/index.js';
import { Linter } from '../../src/lint/linter.js';
import type { LoadedRule } from '../../src/lint/registry.js';
import type { Rule } from '../../src/lint/types.js';
import { capture } from '../helpers/captures.js';
import { BROKEN_RULES, fixtureRules } from './helpers.js';

let rules: LoadedRule[];
let broken: LoadedRule[];
beforeAll(async () => {
  rules = await fixtureRules();
  broken = await fixtureRules(BROKEN_RULES);
});

const active = (loaded: LoadedRule[], settings: Record<string, 'off' | 'note' | 'warning' | 'error'> = {}): ActiveRule[] =>
  activeRules(resolveRules(loaded, [{ source: 'test', rules: settings }]));

describe('Linter', () => {
  it('reports a finding the moment the rule does, before the next exchange is handed on', async () => {
    const events: string[] = [];
    const linter = new Linter(active(rules, { 'test-connection': 'off', 'test-capture-end': 'off' }), { onFinding: (f) => events.push(`finding ${f.message}`) });
    await analyse(capture('02-keepalive-agent.pcapng'), {}, linter, { exchange: (x) => events.push(`exchange ${x.index}`), captureEnded: () => events.push('end') });
    expect(events).toEqual(['finding GET /1', 'exchange 1', 'finding GET /2', 'exchange 2', 'finding GET /3', 'exchange 3', 'end']);
  });

  it('gives findings the configured severity, the rule title/help/docs and unique ascending frames', async () => {
    const linter = new Linter(active(rules, { 'test-connection': 'error' }));
    await analyse(capture('08-content-length-overrun.pcapng'), {}, linter);
    const conn = linter.findings.find((f) => f.ruleId === 'test-connection');
    expect(conn).toEqual({
      ruleId: 'test-connection',
      severity: 'error',
      message: '1 exchange(s), 64 B from the client, 126 B from the server',
      connection: 1,
      exchange: null,
      frames: [1, 10],
      // Frame 1's time (the connection's first frame: tshark frame.time_epoch 1795333795.820529).
      time: 1795333795.820529,
      title: 'Test: every HTTP connection',
      help: 'A test rule that reports every connection with exchanges.',
      docs: 'https://nodejs.org/docs/latest-v20.x/api/net.html#class-netsocket',
    });
    expect(linter.findings.map((f) => f.ruleId)).toEqual(['test-request-line', 'test-connection', 'test-capture-end']);
  });

  it("dates each finding by its first frame as the record states it (Zeek's ts), the capture's last frame for capture-wide ones", async () => {
    const linter = new Linter(active(rules, { 'test-connection': 'error' }));
    await analyse(capture('08-content-length-overrun.pcapng'), {}, linter);
    // tshark frame.time_epoch: frame 4 (the request) 1795333795.822599, frame 1 1795333795.820529, frame 10 (the last) 1795333795.828765.
    expect(linter.findings.map((f) => [f.ruleId, f.frames, f.time])).toEqual([
      ['test-request-line', [4, 6], 1795333795.822599],
      ['test-connection', [1, 10], 1795333795.820529],
      ['test-capture-end', [], 1795333795.828765],
    ]);
  });

  it('disables a rule that throws, says so once, and runs the others to the end', async () => {
    const failures: string[] = [];
    const linter = new Linter(active(broken), { onRuleError: (f) => failures.push(f.message) });
    await analyse(capture('02-keepalive-agent.pcapng'), {}, linter);
    expect(linter.findings.map((f) => `${f.ruleId} ${f.exchange}`)).toEqual(['test-throws 1', 'test-fine 1', 'test-fine 2', 'test-fine 3']);
    expect(failures).toEqual([
      `rule 'test-throws' (${BROKEN_RULES}/c-throws.js) failed in exchange 2 of connection 1 and is disabled for the rest of this capture: TypeError: boom on exchange 2`,
    ]);
  });

  it('catches a rule whose create() throws', async () => {
    const bad: Rule = { id: 'bad-create', severity: 'error', title: 't', help: 'h', docs: 'd', create: () => { throw new Error('no'); } };
    const failures: string[] = [];
    const linter = new Linter(active([{ rule: bad, file: null }, ...rules]), { onRuleError: (f) => failures.push(f.message) });
    await analyse(capture('08-content-length-overrun.pcapng'), {}, linter);
    expect(failures).toEqual(["rule 'bad-create' failed in create and is disabled for the rest of this capture: no"]);
    expect(linter.findings).toHaveLength(3);
  });

  it('locates findings by endpoints and request line when asked (for baselines)', async () => {
    const linter = new Linter(active(rules), { locate: true });
    await analyse(capture('08-content-length-overrun.pcapng'), {}, linter);
    expect(linter.where).toEqual([
      { client: '127.0.0.1:47796', server: '127.0.0.1:5108', request: 'GET /' },
      { client: '127.0.0.1:47796', server: '127.0.0.1:5108', request: null },
      { client: null, server: null, request: null },
    ]);
  });
});

describe('lintFile', () => {
  it('runs the given rules with settings in the configuration shape', async () => {
    const seen: string[] = [];
    const { findings, summary } = await lintFile(capture('01-agent-false.pcapng'), {
      ruleSet: rules,
      rules: { 'test-connection': 'off', 'test-capture-end': ['warning', { minExchanges: 3 }] },
      onFinding: (f) => seen.push(f.ruleId),
    });
    expect(findings.map((f) => `${f.severity} ${f.message}`)).toEqual(['note GET /1', 'note GET /2', 'note GET /3', 'warning 3 exchange(s) in 3 connection(s)']);
    expect(seen).toEqual(['test-request-line', 'test-request-line', 'test-request-line', 'test-capture-end']);
    expect(summary.exchanges).toBe(3);
  });

  it('rejects a bad setting with the key named', async () => {
    await expect(lintFile(capture('01-agent-false.pcapng'), { ruleSet: rules, rules: { 'test-conection': 'off' } })).rejects.toThrow(
      'lintFile config: rules.test-conection: unknown rule (did you mean test-connection?)',
    );
  });
});

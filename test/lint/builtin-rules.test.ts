/** Every built-in rule (rules/index.ts) has the contract's metadata and a valid shape. */
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { ruleShapeProblem } from '../../src/lint/registry.js';

/** Rules about the capture itself, not Node.js: their docs are the capture tools' (tcpdump, Wireshark). */
const CAPTURE_QUALITY = new Set(['capture-gap', 'retransmission', 'truncated-frames']);

describe('rules/index.ts', () => {
  it('lists rules with unique ids in alphabetical order', () => {
    const ids = builtinRules.map((r) => r.id);
    expect(ids).toHaveLength(35);
    for (const id of CAPTURE_QUALITY) expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
  });

  it.each(builtinRules.map((r) => [r.id, r] as const))('%s has id, severity, title, help, docs and a valid shape', (_, rule) => {
    expect(ruleShapeProblem(rule)).toBeNull();
    expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(['error', 'warning', 'note']).toContain(rule.severity);
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.title).not.toContain('\n');
    expect(rule.help.length).toBeGreaterThan(100);
    if (CAPTURE_QUALITY.has(rule.id)) expect(rule.docs).toMatch(/^https:\/\/\S+$/);
    else expect(rule.docs).toMatch(/^https:\/\/nodejs\.org\/docs\/latest-v20\.x\/api\/[a-z_]+\.html(#.*)?$/);
  });
});

/**
 * The message rules over every recording: each capture gets exactly the ids its expected.json
 * lists among these rules (`rules`, plus at least one of `rulesAnyOf`), and nothing else — so a
 * clean capture gets none of them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import badRequest from '../../rules/bad-request.js';
import bodyNotAllowed from '../../rules/body-not-allowed.js';
import conflictingFraming from '../../rules/conflicting-framing.js';
import contentLengthOverrun from '../../rules/content-length-overrun.js';
import contentLengthUnderrun from '../../rules/content-length-underrun.js';
import duplicateHeader from '../../rules/duplicate-header.js';
import emptyReply from '../../rules/empty-reply.js';
import headerOverflow from '../../rules/header-overflow.js';
import headersFlushedSeparately from '../../rules/headers-flushed-separately.js';
import incompleteMessage from '../../rules/incomplete-message.js';
import invalidChunk from '../../rules/invalid-chunk.js';
import malformedMessage from '../../rules/malformed-message.js';
import missingHost from '../../rules/missing-host.js';
import noResponse from '../../rules/no-response.js';
import requestTimeout from '../../rules/request-timeout.js';
import responseStalledAfterHeaders from '../../rules/response-stalled-after-headers.js';
import slowRequestHeaders from '../../rules/slow-request-headers.js';
import tooManyHeaders from '../../rules/too-many-headers.js';
import type { Rule } from '../../src/lint/types.js';
import { capture, realCaptures } from '../helpers/captures.js';
import { ruleIds, runRules } from '../helpers/rule-harness.js';

/** These rules with their BEHAVIOURS.md §2 severities. */
const SEVERITIES: Array<[Rule, Rule['severity']]> = [
  [badRequest, 'warning'],
  [bodyNotAllowed, 'error'],
  [conflictingFraming, 'error'],
  [contentLengthOverrun, 'error'],
  [contentLengthUnderrun, 'error'],
  [duplicateHeader, 'warning'],
  [emptyReply, 'error'],
  [headerOverflow, 'warning'],
  [headersFlushedSeparately, 'note'],
  [incompleteMessage, 'error'],
  [invalidChunk, 'error'],
  [malformedMessage, 'error'],
  [missingHost, 'warning'],
  [noResponse, 'warning'],
  [requestTimeout, 'warning'],
  [responseStalledAfterHeaders, 'warning'],
  [slowRequestHeaders, 'warning'],
  [tooManyHeaders, 'warning'],
];
const RULES = SEVERITIES.map(([rule]) => rule);
const MINE = new Set(RULES.map((r) => r.id));

function expectedFor(file: string): { rules: string[]; rulesAnyOf: string[] } {
  const json = JSON.parse(readFileSync(capture(file.replace(/\.pcap(ng)?$/, '.expected.json')), 'utf8')) as { rules: string[]; rulesAnyOf?: string[] };
  return { rules: json.rules.filter((id) => MINE.has(id)), rulesAnyOf: (json.rulesAnyOf ?? []).filter((id) => MINE.has(id)) };
}

describe('message rules over every recording', () => {
  it.each(realCaptures())('%s gets exactly its expected findings among these rules', async (file) => {
    const { rules, rulesAnyOf } = expectedFor(file);
    const found = ruleIds(await runRules(file, RULES));
    const allowed = new Set([...rules, ...rulesAnyOf]);
    expect(found.filter((id) => !allowed.has(id))).toEqual([]);
    expect(rules.filter((id) => !found.includes(id))).toEqual([]);
    if (rulesAnyOf.length > 0) expect(found.some((id) => rulesAnyOf.includes(id))).toBe(true);
  });

  it('scenario 12 gets request-timeout and slow-request-headers (incomplete-message stays with the 408)', async () => {
    expect(ruleIds(await runRules('12-incomplete-headers.pcapng', RULES))).toEqual(['request-timeout', 'slow-request-headers']);
  });
});

describe('message rule metadata', () => {
  it.each(SEVERITIES.map(([rule, severity]) => [rule.id, rule, severity] as const))('%s: severity, title, help and docs', (_id, rule, severity) => {
    expect(rule.severity).toBe(severity);
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.docs).toMatch(/^https:\/\/nodejs\.org\/docs\/latest-v20\.x\/api\/http\.html#[a-z0-9-]+$/);
    // Wire, what curl and Node.js clients see, the Node cause, the fix: four paragraphs.
    expect(rule.help.split('\n\n')).toHaveLength(4);
  });

  it('the registry lists every one of them once, alphabetically', () => {
    const ids = builtinRules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of MINE) expect(ids).toContain(id);
  });

  it('slow-request-headers and too-many-headers declare their options with the documented defaults', () => {
    expect(slowRequestHeaders.options).toMatchObject({ threshold: { type: 'number', default: 1 } });
    expect(tooManyHeaders.options).toMatchObject({ max: { type: 'number', default: 1000 } });
  });
});

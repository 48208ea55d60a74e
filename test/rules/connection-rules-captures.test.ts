/**
 * The connection, keep-alive, pairing, pipelining and capture-quality rules over every recording
 * in captures/: each capture gets exactly the ids its expected.json lists (`rules`, and any of
 * `rulesAnyOf`) among these rules' ids — no more (zero false positives on the clean ones), no less.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import captureGap from '../../rules/capture-gap.js';
import connectionPerRequest from '../../rules/connection-per-request.js';
import connectionRefused from '../../rules/connection-refused.js';
import connectionReset from '../../rules/connection-reset.js';
import handshakeIncomplete from '../../rules/handshake-incomplete.js';
import keepaliveHintTooShort from '../../rules/keepalive-hint-too-short.js';
import keepaliveReuseRace from '../../rules/keepalive-reuse-race.js';
import keepaliveTimeoutMismatch from '../../rules/keepalive-timeout-mismatch.js';
import maxRequestsPerSocket from '../../rules/max-requests-per-socket.js';
import pipelining from '../../rules/pipelining.js';
import requestAfterConnectionClose from '../../rules/request-after-connection-close.js';
import retransmission from '../../rules/retransmission.js';
import serviceUnavailableDrop from '../../rules/service-unavailable-drop.js';
import truncatedFrames from '../../rules/truncated-frames.js';
import unansweredRequest from '../../rules/unanswered-request.js';
import unmatchedResponse from '../../rules/unmatched-response.js';
import { builtinRules } from '../../rules/index.js';
import { capture, realCaptures } from '../helpers/captures.js';
import { ruleIds, runRules } from '../helpers/rule-harness.js';
import * as fx from './connection-fixtures.js';

const RULES = [
  captureGap,
  connectionPerRequest,
  connectionRefused,
  connectionReset,
  handshakeIncomplete,
  keepaliveHintTooShort,
  keepaliveReuseRace,
  keepaliveTimeoutMismatch,
  maxRequestsPerSocket,
  pipelining,
  requestAfterConnectionClose,
  retransmission,
  serviceUnavailableDrop,
  truncatedFrames,
  unansweredRequest,
  unmatchedResponse,
];
const OURS = new Set(RULES.map((r) => r.id));

function expectedFor(file: string): { rules: string[]; anyOf: string[] } {
  const json = JSON.parse(readFileSync(capture(file.replace(/\.(pcapng|pcap)$/, '.expected.json')), 'utf8')) as { rules: string[]; rulesAnyOf?: string[] };
  return { rules: json.rules.filter((id) => OURS.has(id)).sort(), anyOf: (json.rulesAnyOf ?? []).filter((id) => OURS.has(id)) };
}

describe('connection and keep-alive rules on every recording', () => {
  it('covers every capture (28 scenario files, variants, the tour and the 24 rule scenarios 28–51)', () => {
    expect(realCaptures()).toHaveLength(63);
  });

  it.each(realCaptures())('%s: exactly the expected ids of these rules', async (file) => {
    const { rules, anyOf } = expectedFor(file);
    const found = ruleIds(await runRules(file, RULES));
    const required = found.filter((id) => !anyOf.includes(id));
    expect(required).toEqual(rules);
    // rulesAnyOf: at least one when any is ours (none of these rules is listed there today).
    if (anyOf.length > 0) expect(found.some((id) => anyOf.includes(id))).toBe(true);
  });

  it('the recordings exercise these ids (the rest have synthetic tests)', async () => {
    const seen = new Set<string>();
    for (const file of realCaptures()) for (const id of ruleIds(await runRules(file, RULES))) seen.add(id);
    expect([...seen].sort()).toEqual([
      'capture-gap', 'connection-per-request', 'connection-refused', 'connection-reset', 'handshake-incomplete', 'keepalive-hint-too-short',
      'keepalive-reuse-race', 'keepalive-timeout-mismatch', 'max-requests-per-socket', 'pipelining',
      'request-after-connection-close', 'service-unavailable-drop', 'truncated-frames', 'unanswered-request', 'unmatched-response',
    ]);
  });
});

describe('the synthetic captures trigger only the rule they were built for', () => {
  it.each([
    ['plainReset', fx.plainReset, ['connection-reset']],
    ['refused', fx.refused, ['connection-refused']],
    ['incompleteHandshakes', fx.incompleteHandshakes, ['handshake-incomplete']],
    ['earlyIdleClose', () => fx.earlyIdleClose(), ['keepalive-timeout-mismatch']],
    ['earlyIdleClose (shutdown)', () => fx.earlyIdleClose(false), []],
    ['doubleResponse', fx.doubleResponse, ['unmatched-response']],
    ['midStreamResponse', fx.midStreamResponse, []],
    ['captureEndsWaiting', fx.captureEndsWaiting, ['unanswered-request']],
    ['lostSegment', fx.lostSegment, ['capture-gap']],
    ['retransmittedRequest', fx.retransmittedRequest, ['retransmission']],
    ['snapped', fx.snapped, ['truncated-frames']],
    ['requestAfterClose', fx.requestAfterClose, ['request-after-connection-close']],
  ] as const)('%s → %j', async (_name, make, ids) => {
    expect(ruleIds(await runRules(make(), RULES))).toEqual(ids);
  });
});

describe('rules/index.ts', () => {
  it('registers every one of these rules, ids unique and in alphabetical order', () => {
    const ids = builtinRules.map((r) => r.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) expect(builtinRules).toContain(rule);
  });

  it('every rule has a title, help that names what curl or Node.js shows, an https docs link, and option defaults of their type', () => {
    for (const rule of RULES) {
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.help.split('\n\n').length).toBeGreaterThanOrEqual(3);
      expect(rule.docs).toMatch(/^https:\/\//);
      for (const option of Object.values(rule.options ?? {})) expect(typeof option.default).toBe(option.type);
    }
  });
});

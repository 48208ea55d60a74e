import { describe, expect, it } from 'vitest';
import rule from '../../rules/connection-per-request.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief } from './connection-fixtures.js';

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
          '3 connections from 127.0.0.1 to 127.0.0.1:5101 each carried one exchange and were closed after it (connections 1, 2, 3; SYN in frames 1, 11, 21): 3 handshakes took 176µs in all',
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

  it('minConnections raises the bar', async () => {
    expect(await runRules('01-agent-false.pcapng', [rule], { 'connection-per-request': { minConnections: 4 } })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { FilterError, matchesFilter, parseFilter } from '../../src/tui/filter.js';
import type { ExchangeRow } from '../../src/tui/exchange-row.js';

/** The few fields the filter reads, on an otherwise empty exchange row. */
function exchange(connection: number, method: string | null, target: string | null, status: number | null, lost: ExchangeRow['lost'] = null): ExchangeRow {
  return { connection, index: 1, method, target, hasRequest: method !== null, status, lost } as ExchangeRow;
}

const overrun = [{ ruleId: 'content-length-overrun', severity: 'error' as const }];

describe('parseFilter / matchesFilter', () => {
  it('status: a class, a code, or none', () => {
    const x404 = { exchange: exchange(1, 'GET', '/a', 404), findings: [] };
    const x200 = { exchange: exchange(1, 'GET', '/a', 200), findings: [] };
    const unanswered = { exchange: exchange(1, 'GET', '/a', null), findings: [] };
    expect(matchesFilter(parseFilter('status:4xx'), x404)).toBe(true);
    expect(matchesFilter(parseFilter('status:4xx'), x200)).toBe(false);
    expect(matchesFilter(parseFilter('status:404'), x404)).toBe(true);
    expect(matchesFilter(parseFilter('status:403'), x404)).toBe(false);
    expect(matchesFilter(parseFilter('status:none'), unanswered)).toBe(true);
    expect(matchesFilter(parseFilter('status:2xx'), unanswered)).toBe(false);
  });

  it('status:lost: the response the capture lost (the table\'s `lost`); status:none: no response came (`-`)', () => {
    const lostResponse = { exchange: exchange(1, 'GET', '/item/2', null, 'response'), findings: [] };
    const lostRequest = { exchange: exchange(1, null, null, 200, 'request'), findings: [] };
    const unanswered = { exchange: exchange(1, 'GET', '/a', null), findings: [] };
    expect(['status:lost', 'status:none', 'status:2xx'].map((f) => matchesFilter(parseFilter(f), lostResponse))).toEqual([true, false, false]);
    expect(['status:lost', 'status:none', 'status:2xx'].map((f) => matchesFilter(parseFilter(f), lostRequest))).toEqual([false, false, true]);
    expect(['status:lost', 'status:none'].map((f) => matchesFilter(parseFilter(f), unanswered))).toEqual([false, true]);
  });

  it('method: is case-insensitive; conn: is the connection id', () => {
    const post = { exchange: exchange(3, 'POST', '/user', 201), findings: [] };
    expect(matchesFilter(parseFilter('method:post'), post)).toBe(true);
    expect(matchesFilter(parseFilter('method:GET'), post)).toBe(false);
    expect(matchesFilter(parseFilter('conn:3'), post)).toBe(true);
    expect(matchesFilter(parseFilter('conn:4'), post)).toBe(false);
  });

  it('rule: globs on the rule ids of the findings on the exchange; severity: on their severities', () => {
    const x = { exchange: exchange(7, 'GET', '/1', 200), findings: overrun };
    expect(matchesFilter(parseFilter('rule:content-length-*'), x)).toBe(true);
    expect(matchesFilter(parseFilter('rule:content-length-overrun'), x)).toBe(true);
    expect(matchesFilter(parseFilter('rule:content-length'), x)).toBe(false);
    expect(matchesFilter(parseFilter('rule:*-underrun'), x)).toBe(false);
    expect(matchesFilter(parseFilter('severity:error'), x)).toBe(true);
    expect(matchesFilter(parseFilter('severity:warning'), x)).toBe(false);
  });

  it('free text matches the target, case-insensitively; every term must match', () => {
    const x = { exchange: exchange(2, 'GET', '/api/Users?id=3', 200), findings: [] };
    expect(matchesFilter(parseFilter('users'), x)).toBe(true);
    expect(matchesFilter(parseFilter('users method:GET status:2xx'), x)).toBe(true);
    expect(matchesFilter(parseFilter('users method:POST'), x)).toBe(false);
    expect(matchesFilter(parseFilter('orders'), x)).toBe(false);
    expect(parseFilter('  ').terms).toEqual([]);
  });

  it('a malformed term is a FilterError with one line saying what is expected', () => {
    expect(() => parseFilter('status:4x')).toThrow(new FilterError("status: is a code (404), a class (4xx), none or lost, not '4x'"));
    expect(() => parseFilter('conn:abc')).toThrow(new FilterError("conn: needs a connection id, not 'abc'"));
    expect(() => parseFilter('severity:fatal')).toThrow(new FilterError("severity: is error, warning or note, not 'fatal'"));
    expect(() => parseFilter('rule:')).toThrow(FilterError);
  });
});

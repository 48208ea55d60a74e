import { describe, expect, it } from 'vitest';
import { escapeControls, escapeJsonControls } from '../../src/report/terminal-safe.js';

describe('escapeJsonControls', () => {
  it('returns pure ASCII without DEL as it is', () => {
    const json = JSON.stringify({ target: '/items/1?q=a b', status: 200 });
    expect(escapeJsonControls(json)).toBe(json);
  });

  it('escapes DEL and each C1 control, and leaves other non-ASCII text alone', () => {
    const json = JSON.stringify({ a: 'x\x7fy', b: '\x80\x9b\x9f', c: 'café ✓ 😀', d: '\xa0' });
    expect(escapeJsonControls(json)).toBe('{"a":"x\\u007fy","b":"\\u0080\\u009b\\u009f","c":"café ✓ 😀","d":"\xa0"}');
    expect(JSON.parse(escapeJsonControls(json))).toEqual(JSON.parse(json));
  });

  it('finds a C1 control in a string that is otherwise ASCII, at either end', () => {
    expect(escapeJsonControls('\x85{}')).toBe('\\u0085{}');
    expect(escapeJsonControls('{}\x9b')).toBe('{}\\u009b');
  });
});

describe('escapeControls', () => {
  it('shows C0 (but LF and TAB), DEL, C1 and lone surrogates as escapes', () => {
    expect(escapeControls('GET /\x1b[2J\x07\t\n\x7f\x9b\ud800 ok')).toBe('GET /\\x1b[2J\\x07\t\n\\x7f\\x9b\\ud800 ok');
    expect(escapeControls('plain 😀')).toBe('plain 😀');
  });
});

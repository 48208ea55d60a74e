/**
 * Traffic must not drive the reader's terminal (src/report/terminal-safe.ts): a capture whose
 * request target, header names and values, reason phrase and body carry ESC sequences (clear
 * screen, set window title), an 8-bit CSI (0x9b) and DEL goes through every text command; stdout
 * must hold no C0 control but LF and TAB, no DEL and no C1 control, and the escaped forms must be
 * there for the reader to see.
 */
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { reportJson } from '../helpers/report-json.js';

const CLEAR = '\x1b[2J';
const TITLE = '\x1b]0;pwned\x07';
const CSI8 = '\x9b';
const DEL = '\x7f';

const TARGET = `/${CLEAR}${TITLE}`;
const REQUEST = `GET ${TARGET} HTTP/1.1\r\nHost: x\r\nX-${CLEAR}: v${CSI8}${DEL}${TITLE}\r\n\r\n`;
const REASON = `OK${CLEAR}${CSI8}1m${DEL}`;
const BODY = `hi${CLEAR}${CSI8}${DEL}\x1b]0;p\x07`;
const RESPONSE = `HTTP/1.1 200 ${REASON}\r\nContent-Type: text/plain\r\nX-Evil: ${TITLE}${CSI8}\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`;

function hostileCapture(): string {
  const cap = new SyntheticCapture();
  cap
    .conversation({ clientPort: 40001 })
    .handshake() // 1-3
    .send('client', REQUEST) // 4 (latin1: every character is one byte on the wire)
    .send('server', RESPONSE) // 5
    .fin('client')
    .fin('server')
    .ack('client');
  return cap.writeTemp('hostile.pcapng');
}

/** Every code point that would reach the terminal as a control: C0 but LF/TAB, DEL, C1. */
function controls(text: string): string[] {
  const found: string[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if ((c < 0x20 && c !== 0x0a && c !== 0x09) || c === 0x7f || (c >= 0x80 && c <= 0x9f)) found.push(`U+${c.toString(16).padStart(4, '0')}`);
  }
  return found;
}

function expectSafe(r: CliResult): void {
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  // Valid UTF-8 (a lone surrogate or a raw latin1 byte would not round-trip), and no control left.
  expect(Buffer.from(r.stdout, 'utf8').equals(r.stdoutBytes)).toBe(true);
  expect(controls(r.stdout)).toEqual([]);
}

describe('text output is terminal-safe', () => {
  const file = hostileCapture();

  it('the capture really carries the raw controls (the JSON model keeps them as they were)', async () => {
    expect(REQUEST.length).toBe(64);
    const x = (await reportJson(file)).connections[0].exchanges[0];
    expect(x.request).toMatchObject({ method: 'GET', target: TARGET });
    expect(x.request?.headers.map((h) => [h.name, h.value])).toEqual([['Host', 'x'], [`X-${CLEAR}`, `v${CSI8}${DEL}${TITLE}`]]);
    expect(x.response).toMatchObject({ status: 200, reason: REASON });
    expect(controls(TARGET + REASON + BODY).length).toBeGreaterThan(10);
  });

  it('report: target, reason and the header name in a deviation shown escaped', async () => {
    const r = await runCli(['report', file]);
    expectSafe(r);
    expect(r.stdout).toContain('  [1] GET /\\x1b[2J\\x1b]0;pwned\\x07 → 200 OK\\x1b[2J\\x9b1m\\x7f   (TTFB 1.0ms, total 1.0ms)\n');
    expect(r.stdout).toContain('        ! invalid-header-value at offset 39 (frame 4): field X-\\x1b[2J has control characters in its value\n');
  });

  it('report --headers: header names and values shown escaped', async () => {
    const r = await runCli(['report', file, '--headers']);
    expectSafe(r);
    expect(r.stdout).toContain('        headers  Host: x | X-\\x1b[2J: v\\x9b\\x7f\\x1b]0;pwned\\x07\n');
    expect(r.stdout).toContain('        headers  Content-Type: text/plain | X-Evil: \\x1b]0;pwned\\x07\\x9b | Content-Length: 14\n');
  });

  it('report --bodies: the body shown quoted and escaped', async () => {
    const r = await runCli(['report', file, '--bodies']);
    expectSafe(r);
    // The body is decoded as UTF-8 and quoted JSON-style (\u001b), so the lone 0x9b becomes U+FFFD;
    // the DEL JSON leaves alone is escaped on the way out.
    expect(r.stdout).toContain('        body     "hi\\u001b[2J\ufffd\\x7f\\u001b]0;p\\u0007"\n');
  });

  it('conns: the table is safe', async () => {
    const r = await runCli(['conns', file]);
    expectSafe(r);
    expect(r.stdout).toContain('1 TCP connection in 8 frames\n');
  });

  it('follow --conn 1: control bytes shown as dots, like Wireshark', async () => {
    const r = await runCli(['follow', file, '--conn', '1']);
    expectSafe(r);
    expect(r.stdout).toContain('GET /.[2J.]0;pwned. HTTP/1.1\nHost: x\nX-.[2J: v...]0;pwned.\n');
    expect(r.stdout).toContain('HTTP/1.1 200 OK.[2J.1m.\n');
    expect(r.stdout).toContain('\nhi.[2J...]0;p.\n');
  });
});

/**
 * A capture cannot drive the terminal or restyle the UI: its target, header fields and body are full
 * of terminal escape sequences and blessed tags, and the UI shows them as typed (src/tui/escape.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SyntheticCapture } from '../helpers/conversation.js';
import { TmuxSession } from '../helpers/tmux.js';

const CLEAR = '\x1b[2J';
const TITLE = '\x1b]0;pwned\x07';
const TARGET = `/{red-fg}${CLEAR}${TITLE}{/red-fg}`;
const REQUEST = `GET ${TARGET} HTTP/1.1\r\nHost: x\r\nX-{bold}: {blink}v${CLEAR}\r\n\r\n`;
const BODY = `{inverse}hi${CLEAR}`;
const RESPONSE = `HTTP/1.1 200 OK{underline}\r\nContent-Type: text/plain\r\nX-Evil: ${TITLE}{/}\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`;

function hostileCapture(): string {
  const cap = new SyntheticCapture();
  cap.conversation({ clientPort: 40001 }).handshake().send('client', REQUEST).send('server', RESPONSE).fin('client').fin('server').ack('client');
  return cap.writeTemp('hostile.pcapng');
}

let session: TmuxSession | null = null;
afterEach(() => {
  session?.kill();
  session = null;
});

describe('wirelens open on hostile traffic (tmux)', () => {
  it('shows escapes and blessed tags from the wire as text, in the tables, the Request/Response tabs and the body', async () => {
    session = new TmuxSession(`open ${hostileCapture()}`);
    const s = session;
    let screen = await s.waitFor('1 exch');
    // The exchange row: the target with its tags and escapes visible.
    expect(screen).toContain('/{red-fg}\\x1b[2J\\x1b]0;pwned\\x07{/red-fg}');
    // The Request tab: start line and a header whose name and value are tag syntax.
    expect(screen).toContain('GET /{red-fg}\\x1b[2J\\x1b]0;pwned\\x07{/red-fg} HTTP/1.1');
    expect(screen).toContain('X-{bold}: {blink}v\\x1b[2J');
    s.keys('2');
    screen = await s.waitFor('HTTP/1.1 200 OK{underline}');
    expect(screen).toContain('X-Evil: \\x1b]0;pwned\\x07{/}');
    // The body preview (re-read from the file) too.
    expect(await s.waitFor('{inverse}hi\\x1b[2J')).toContain('body 15 B, text/plain');
    // The screen was not cleared by the traffic and the window title was not set.
    expect(screen).toContain('Connections 1');
    expect(s.paneTitle()).not.toContain('pwned');
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  });
});

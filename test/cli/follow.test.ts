import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { SyntheticCapture } from '../helpers/conversation.js';

/**
 * Frames: 1-3 handshake, 4 request, 5 response part 1, (200 server bytes lost), 6 response part 3,
 * 7 client ACK beyond the hole (reveals the gap), 8-9 FINs.
 */
function captureWithGap(): string {
  const cap = new SyntheticCapture();
  cap
    .conversation({ clientPort: 40001, serverPort: 5000 })
    .handshake()
    .send('client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    .send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 210\r\n\r\n')
    .lose('server', 200)
    .send('server', '0123456789')
    .ack('client')
    .fin('client')
    .fin('server');
  return cap.writeTemp();
}

describe('wirelens follow', () => {
  it('interleaves both directions with a marker per turn and marks the gap', async () => {
    const file = captureWithGap();
    const r = await runCli(['follow', file, '--conn', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '==> client 127.0.0.1:40001  frame 4, +0.003000s',
        'GET / HTTP/1.1',
        'Host: x',
        '',
        '<== server 127.0.0.1:5000  frame 5, +0.004000s',
        'HTTP/1.1 200 OK',
        'Content-Length: 210',
        '',
        '[200 bytes missing from the server stream at offset 40 (capture gap), before frame 6]',
        '<== server 127.0.0.1:5000  frame 6, +0.005000s',
        '0123456789',
        '',
      ].join('\n'),
    );
  });

  it('--raw writes one direction unchanged, leaves the gap out and warns on stderr', async () => {
    const file = captureWithGap();
    const server = await runCli(['follow', file, '--conn', '1', '--direction', 'server', '--raw']);
    expect(server.code).toBe(0);
    expect(server.stdout).toBe('HTTP/1.1 200 OK\r\nContent-Length: 210\r\n\r\n0123456789');
    expect(server.stderr).toBe(
      'wirelens: warning: 200 bytes missing from the server stream at offset 40 (capture gap before frame 6); left out of the raw output\n',
    );
    const client = await runCli(['follow', file, '--conn', '1', '--direction', 'client', '--raw']);
    expect(client.stdout).toBe('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(client.stderr).toBe('');
  });

  it('rejects a missing connection with exit 2 and the count of connections', async () => {
    const file = captureWithGap();
    const r = await runCli(['follow', file, '--conn', '7']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`wirelens: ${file}: no connection 7 (the capture has 1 TCP connection; see \`wirelens conns ${file}\`)\n`);
  });

  it('rejects --raw without one direction, and a missing --conn', async () => {
    const file = captureWithGap();
    const both = await runCli(['follow', file, '--conn', '1', '--raw']);
    expect(both).toMatchObject({ code: 2, stderr: 'wirelens follow: --raw writes one direction only: add --direction client or --direction server\n' });
    const noConn = await runCli(['follow', file]);
    expect(noConn.code).toBe(2);
    expect(noConn.stderr).toBe('wirelens follow: missing --conn ID: connection id as listed by `wirelens conns`\n');
  });
});

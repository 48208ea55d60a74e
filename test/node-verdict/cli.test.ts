/**
 * Node's verdict through the CLI, on by default: `report --json` puts `node` on every message (null
 * with `--no-node-verdict`), the text report shows it where it is not a plain accept, lint reports
 * node-parser-error, and the options are checked. `--node-verdict`, from when it was opt-in, is
 * still accepted and changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capture } from '../helpers/captures.js';
import { runCli } from '../helpers/cli.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'wirelens');
const PARSER = `node ${process.versions.node}, llhttp ${process.versions.llhttp}`;
const overrun = capture('08-content-length-overrun.pcapng');

type Message = { node: Record<string, unknown> | null };
const exchangesOf = (stdout: string) =>
  (JSON.parse(stdout) as { records: Array<{ type: string; request: Message; response: Message }> }).records.filter((r) => r.type === 'exchange');

describe('report --json: node on every message', () => {
  it('the built CLI gives the verdict by default, with the Node.js and llhttp versions', () => {
    const r = spawnSync(bin, ['report', '--json', overrun], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const [x] = exchangesOf(r.stdout);
    expect(x.request.node).toEqual({ accepted: true, code: null, reason: null, offset: null, frame: null, method: 'GET', url: '/', status: null, headers: 2, bodyBytes: 0, next: null, differs: [], parser: PARSER });
    expect(x.response.node).toMatchObject({ accepted: true, code: 'HPE_INVALID_CONSTANT', offset: 125, frame: 6, status: 200, bodyBytes: 3, parser: PARSER });
  });

  it('--no-node-verdict: node is null, and no node-parser-error', async () => {
    const r = await runCli(['report', '--json', '--no-node-verdict', overrun]);
    const [x] = exchangesOf(r.stdout);
    expect([x.request.node, x.response.node]).toEqual([null, null]);
    expect(r.stdout).not.toContain('node-parser-error');
  });
});

describe('report (text) and lint', () => {
  it('the text report shows the verdict under the message Node did not simply accept', async () => {
    const r = await runCli(['report', overrun]);
    expect(r.stdout).toContain(
      `        node     HPE_INVALID_CONSTANT "Expected HTTP/, RTSP/ or ICE/" at offset 125 (frame 6); read as status 200, 4 fields, 3 B body; the request emits 'error' (HPE_INVALID_CONSTANT) and the socket is destroyed (${PARSER})\n`,
    );
    expect(r.stdout.match(/^ {8}node {5}/gm)).toHaveLength(1);
  });

  it("1102 fields sent: the verdict names rawHeaders' 1023 and req.headers' 1000, as too-many-headers does", async () => {
    const r = await runCli(['report', capture('29-too-many-headers.pcapng')]);
    expect(r.stdout).toContain(
      `        node     accepted; read as GET /many, 1023 fields in rawHeaders, the first 1000 in req.headers, 0 B body; Node's rawHeaders has 1023 header fields, wirelens read 1102 (${PARSER})\n`,
    );
    expect(r.stdout).toContain('Node keeps the first 1000 and drops 102 (frame 4)  [too-many-headers]');
  });

  it("lint: content-length-overrun and header-overflow cite Node's verdict (one finding per problem); node-parser-error where only Node objects; --node-max-header-size changes the verdict", () => {
    const lint = (...args: string[]) => spawnSync(bin, ['lint', '--format', 'json', ...args], { encoding: 'utf8' });
    const findings = (stdout: string) => (JSON.parse(stdout) as Array<{ findings: Array<{ ruleId: string; message: string; frames: number[] }> }>)[0].findings;
    const r = lint(overrun);
    expect(r.status).toBe(1);
    const citation = `Node.js (${PARSER}): HPE_INVALID_CONSTANT "Expected HTTP/, RTSP/ or ICE/" at offset 125 (frame 6); the request emits 'error' (HPE_INVALID_CONSTANT) and the socket is destroyed`;
    expect(findings(r.stdout)).toMatchObject([
      { ruleId: 'content-length-overrun', message: `the 200 response: Content-Length: 3 but 4 B sent: 1 B excess in frame 6 — ${citation}`, frames: [6] },
    ]);
    const overflow = capture('14-header-overflow.pcapng');
    const refusal = "431 Request Header Fields Too Large (frame 6) for a 16558 B header section with 2 fields (frame 4), over Node's default maxHeaderSize of 16384 B, 536µs after the request began; the server closed the connection (frame 8)";
    // The server's 431 is Node's own refusal: header-overflow (a warning) says so, citing the parser; no error beside it.
    expect(findings(lint(overflow).stdout)).toMatchObject([
      { ruleId: 'header-overflow', message: `${refusal} — Node.js (${PARSER}): HPE_HEADER_OVERFLOW "Header overflow" at offset 16555 (frame 4); 'clientError'; by default 431 Request Header Fields Too Large and close` },
    ]);
    expect(findings(lint(overflow, '--node-max-header-size', '32768').stdout)).toMatchObject([{ ruleId: 'header-overflow', message: refusal }]);
    // The flag from when the verdict was opt-in: accepted, the same findings.
    expect(findings(lint(overflow, '--node-verdict').stdout).map((f) => f.ruleId)).toEqual(['header-overflow']);
    expect(findings(lint(overflow, '--no-node-verdict').stdout)).toMatchObject([{ ruleId: 'header-overflow', message: refusal }]);
    // A 201 that a Node client with maxHeaderSize 100 would reject, though the peer read it: only Node objects.
    expect(findings(lint(capture('26-post-json.pcapng'), '--node-max-header-size', '100').stdout)).toMatchObject([
      { ruleId: 'node-parser-error', message: `the 201 response: Node.js (${PARSER}): HPE_HEADER_OVERFLOW "Header overflow" at offset 135 (frame 6); the request emits 'error' (HPE_HEADER_OVERFLOW) and the socket is destroyed`, frames: [6] },
    ]);
  });

  it('bad option values are one line, exit 2', async () => {
    expect(await runCli(['report', overrun, '--node-max-header-size', 'big'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "wirelens report: --node-max-header-size must be a whole number of bytes from 1 up, not 'big'\n",
    });
    expect(await runCli(['lint', overrun, '--no-node-verdict', '--node-insecure-http-parser'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "wirelens lint: --no-node-verdict turns Node's verdict off: --node-max-header-size and --node-insecure-http-parser would do nothing\n",
    });
    expect(await runCli(['report', overrun, '--node-verdict', '--no-node-verdict'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'wirelens report: --node-verdict and --no-node-verdict contradict each other\n',
    });
  });
});

/**
 * The live source: `tcpdump -i IFACE --immediate-mode -U -s 0 -w - FILTER`, its standard output
 * handed to the analysis as a stream (`{ name, stream }`), like any pcap pipe.
 *
 * tcpdump is a child in wirelens's process group (not detached), so a Ctrl-C in the terminal
 * reaches both, and wirelens stops it itself too: stop() sends SIGTERM (tcpdump then writes its
 * last packets and exits, and the stream ends after a whole record), and a process 'exit' hook
 * sends it again in case wirelens ends any other way (an exception, process.exit).
 *
 * Neither runs when wirelens is killed outright (SIGKILL, the OOM killer, a test runner tearing its
 * worker down). tcpdump would then die of SIGPIPE only at its next captured packet, which on an
 * idle port never comes: it was seen capturing on, as root, for good. Node cannot set
 * PR_SET_PDEATHSIG, so a watchdog does it: a `sh` whose stdin is a pipe from wirelens, ignoring
 * the terminal's signals, that sends tcpdump SIGTERM when the pipe closes without the word that
 * tcpdump already ended (the kernel closes the pipe however wirelens dies). One small process
 * per capture, gone with it; without /bin/sh the exit hook is all there is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';

export interface TcpdumpOptions {
  /** Default 'lo'. */
  interface?: string;
  /** Narrow the default filter `tcp` to these ports (`tcp port A or tcp port B`). */
  ports?: readonly number[];
  /** A BPF filter replacing the default (and `ports`). */
  filter?: string | null;
  /** tcpdump stops after this many packets (`-c N`). */
  count?: number | null;
  /** The program to run (default `tcpdump`, looked up on PATH). */
  program?: string;
}

/** Why tcpdump could not capture: one line for the user (tcpdump's own words included). */
export class LiveCaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveCaptureError';
  }
}

export interface TcpdumpExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** tcpdump's "N packets dropped by kernel" (null when it did not say). */
  droppedByKernel: number | null;
  /** Its stderr lines other than the usual "listening on"/statistics ones: what went wrong, if anything. */
  messages: string[];
}

export interface LiveCapture {
  /** For analyse(): named after the interface (`live:lo`), tcpdump's standard output. */
  source: { name: string; stream: Readable };
  /** tcpdump's process id. */
  pid: number;
  /** The filter tcpdump runs with. */
  filter: string;
  /** Stops tcpdump (SIGTERM; it flushes its last packets and exits). Safe to call more than once. */
  stop(): void;
  /** Resolves once tcpdump has exited. */
  exited: Promise<TcpdumpExit>;
}

/** The BPF filter: `filter` as given, else `tcp`, narrowed to the ports. */
export function captureFilter(ports: readonly number[] = [], filter: string | null = null): string {
  if (filter !== null) return filter;
  return ports.length === 0 ? 'tcp' : ports.map((p) => `tcp port ${p}`).join(' or ');
}

export function tcpdumpArgs(options: TcpdumpOptions): string[] {
  const args = ['-i', options.interface ?? 'lo', '--immediate-mode', '-U', '-s', '0', '-w', '-'];
  if (options.count !== undefined && options.count !== null) args.push('-c', String(options.count));
  // One argument: tcpdump joins its remaining arguments into the expression anyway.
  args.push(captureFilter(options.ports, options.filter ?? null));
  return args;
}

/** How long tcpdump has to say it is listening (or fail) before wirelens gives up. */
const START_TIMEOUT_MS = 10_000;

/**
 * Starts tcpdump and resolves once it is listening (its "listening on" line: traffic from then on
 * is captured). Rejects with a LiveCaptureError when it is missing, lacks permission, or fails
 * otherwise (bad interface or filter), after making sure it is gone.
 */
export function startTcpdump(options: TcpdumpOptions = {}): Promise<LiveCapture> {
  const iface = options.interface ?? 'lo';
  const program = options.program ?? 'tcpdump';
  const filter = captureFilter(options.ports, options.filter ?? null);
  const child = spawn(program, tcpdumpArgs(options), { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = (): void => {
    if (running(child)) child.kill('SIGTERM');
  };
  process.on('exit', killOnExit);
  const dog = child.pid === undefined ? null : watchdog(child.pid);

  const messages: string[] = [];
  let dropped: number | null = null;
  let onReady: (() => void) | null = null;
  let pendingLine = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    const lines = (pendingLine + text).split('\n');
    pendingLine = lines.pop() ?? '';
    for (const line of lines) note(line);
  });
  const note = (raw: string): void => {
    const line = raw.trim();
    if (line === '') return;
    if (/^(tcpdump: )?listening on /.test(line)) {
      onReady?.();
      return;
    }
    const stat = /^(\d+) packets? (captured|received by filter|dropped by kernel)$/.exec(line);
    if (stat !== null) {
      if (stat[2] === 'dropped by kernel') dropped = Number(stat[1]);
      return;
    }
    messages.push(line.replace(/^tcpdump: /, ''));
  };

  const exited = new Promise<TcpdumpExit>((resolve) => {
    child.on('close', (code, signal) => {
      // tcpdump is gone and reaped: the watchdog must not signal its pid (it could be reused).
      dog?.stdin?.end(`${WATCHDOG_DONE}\n`);
      if (pendingLine !== '') note(pendingLine);
      pendingLine = '';
      process.removeListener('exit', killOnExit);
      resolve({ code, signal, droppedByKernel: dropped, messages });
    });
  });

  return new Promise<LiveCapture>((resolve, reject) => {
    let settled = false;
    const fail = (error: LiveCaptureError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (running(child)) child.kill('SIGTERM');
      reject(error);
    };
    const timer = setTimeout(() => fail(new LiveCaptureError(`tcpdump did not start listening on ${iface} within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    onReady = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        source: { name: `live:${iface}`, stream: child.stdout },
        pid: child.pid as number,
        filter,
        stop: () => {
          if (running(child)) child.kill('SIGTERM');
        },
        exited,
      });
    };
    child.on('error', (error: NodeJS.ErrnoException) => fail(new LiveCaptureError(describeSpawnError(program, error))));
    void exited.then((exit) => fail(new LiveCaptureError(describeFailure(iface, exit))));
  });
}

/** What wirelens writes to the watchdog once tcpdump has ended: nothing left to stop. */
const WATCHDOG_DONE = 'done';
const WATCHDOG_SCRIPT = `trap '' INT TERM HUP; read line; [ "$line" = ${WATCHDOG_DONE} ] || kill -TERM "$1" 2>/dev/null`;

/** The sh that stops tcpdump (`pid`) when wirelens's end of its stdin closes unannounced (see the file comment). */
function watchdog(pid: number): ChildProcess {
  const dog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'wirelens-watchdog', String(pid)], { stdio: ['pipe', 'ignore', 'ignore'] });
  // No sh: no watchdog (the exit hook still covers every ending but an outright kill).
  dog.on('error', () => {});
  dog.stdin?.on('error', () => {});
  dog.unref();
  return dog;
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.pid !== undefined;
}

/** tcpdump could not be run at all. */
export function describeSpawnError(program: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') {
    const elsewhere = ['/usr/sbin/tcpdump', '/sbin/tcpdump'].find((p) => p !== program && existsSync(p));
    const hint = elsewhere === undefined ? '' : ` (there is ${elsewhere}: add its directory to PATH)`;
    return `${program} not found on PATH${hint}: install tcpdump (apt install tcpdump, dnf install tcpdump, apk add tcpdump, brew install tcpdump), or pipe a capture in with \`wirelens live -r -\``;
  }
  if (error.code === 'EACCES') return `cannot run ${program}: permission denied (${error.message})`;
  return `cannot run ${program}: ${error.message}`;
}

/** tcpdump ended before it was listening: its own words, and the remedy when it is permission. */
export function describeFailure(iface: string, exit: TcpdumpExit): string {
  const said = exit.messages.length > 0 ? exit.messages.join(' ') : `no message, ${exitStatus(exit)}`;
  if (/permission|not permitted/i.test(said)) {
    return `tcpdump may not capture on ${iface}: ${said}; run wirelens with sudo, or let tcpdump capture: sudo setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump)`;
  }
  return `tcpdump failed: ${said}`;
}

export function exitStatus(exit: Pick<TcpdumpExit, 'code' | 'signal'>): string {
  return exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

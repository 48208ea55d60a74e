/**
 * Drives the real `wirelens` in a detached tmux session: send keys, read the visible screen, poll
 * for text (never a fixed sleep alone). Each session runs `node bin/wirelens …; echo EXIT=$? > F`
 * so a test can read the exit code after the program ends, and the shell then waits so the pane
 * (with what the program left on it) can still be captured.
 *
 * Every session has a tmux server of its own (`tmux -L NAME`): on the shared default server, the
 * last session ending (a test closing its terminal) shut the server down while another test file,
 * running in parallel, was starting a session on it ("server exited unexpectedly").
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from './temp.js';

const ROOT = resolve(import.meta.dirname, '../..');

export class TmuxSession {
  readonly name = `wl-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly exitFile: string;

  /**
   * Starts `node bin/wirelens ARGS` in a new session of `width`×`height` (a shell quoting of args
   * is the caller's), in the repository's root or in `cwd` (relative paths in args then from there).
   */
  constructor(args: string, width = 120, height = 40, cwd = ROOT) {
    this.exitFile = join(tempDir('tmux'), 'exit');
    const command = `cd ${cwd} && node ${join(ROOT, 'bin/wirelens')} ${args}; echo EXIT=$? > ${this.exitFile}; printf 'AFTER-EXIT\\n'; sleep 60`;
    this.tmux('new-session', '-d', '-s', this.name, '-x', String(width), '-y', String(height), '-e', 'NCURSES_NO_UTF8_ACS=1', '-e', 'TERM=screen-256color', command);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** Whether the pane is in the alternate screen (tmux's alternate_on). */
  alternateScreen(): boolean {
    return this.tmux('display-message', '-p', '-t', this.name, '#{alternate_on}').trim() === '1';
  }

  /** The title programs in the pane set (OSC 0/2). */
  paneTitle(): string {
    return this.tmux('display-message', '-p', '-t', this.name, '#{pane_title}').trim();
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** Types text literally (no key-name lookup). */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /**
   * A left click at column `x`, row `y` (1-based), as a terminal reports it in the mouse mode
   * blessed turns on under tmux (X10 encoding: ESC [ M, then button, x, y each plus 32).
   */
  click(x: number, y: number): void {
    this.type(mouse(0, x, y));
    this.type(mouse(3, x, y));
  }

  /** One wheel step down (or up) at column `x`, row `y`. */
  wheel(x: number, y: number, down = true): void {
    this.type(mouse(down ? 65 : 64, x, y));
  }

  resize(width: number, height: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(width), '-y', String(height));
  }

  /** Polls the screen until `expected` shows (a string, a pattern, or a test of the whole screen); returns the screen. Throws with the last screen after `timeoutMs`. */
  async waitFor(expected: string | RegExp | ((screen: string) => boolean), timeoutMs = 8000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      last = this.screen();
      if (typeof expected === 'string' ? last.includes(expected) : typeof expected === 'function' ? expected(last) : expected.test(last)) return last;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(expected)}; screen:\n${last}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The exit code once the program has ended (polled). */
  async exitCode(timeoutMs = 5000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (!existsSync(this.exitFile) || !readFileSync(this.exitFile, 'utf8').includes('\n')) {
      if (Date.now() > deadline) throw new Error(`the program did not end; screen:\n${this.screen()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return Number(/EXIT=(\d+)/.exec(readFileSync(this.exitFile, 'utf8'))![1]);
  }

  private tmux(...args: string[]): string {
    return tmuxOn(this.name, args);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
    // The server of this session alone: its socket file is left behind by tmux.
    rmSync(join(socketDir(), this.name), { force: true });
  }
}

function mouse(button: number, x: number, y: number): string {
  return `\x1b[M${String.fromCharCode(32 + button, 32 + x, 32 + y)}`;
}

/** Where tmux keeps its sockets: $TMUX_TMPDIR (else /tmp), then tmux-UID. */
function socketDir(): string {
  return join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`);
}

function tmuxOn(socket: string, args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

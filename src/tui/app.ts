/**
 * `wirelens open` (and the live dashboard): a blessed UI over analyse(). It renders and navigates;
 * everything it shows comes from the store the analysis fills (src/tui/store.ts) while the file
 * streams in. The first screen is drawn before the capture is read through; redraws are throttled.
 *
 * runTui() resolves with the exit code once the user quits (0) or when the input could not be
 * opened at all (2, one line on stderr, no screen drawn).
 *
 * The live dashboard (src/cli/live-dashboard.ts) is this app fed by the live session's stream,
 * with a `header`, its `keys`, and `onStart` for the control (signals quit through it, follow mode
 * selects through it); it ends tcpdump once runTui resolves. Body previews and the Raw tab need a file to re-read (they say so for a
 * stream); the Segments tab and the ladder work on any source.
 */
import { openSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { setFlagsFromString } from 'node:v8';
import blessed from 'blessed';
import { analyse, sizeOf, sourceName, type AnalysisSource } from '../analysis/analysis.js';
import type { ActiveRule } from '../lint/config.js';
import type { CaptureSummary } from '../model/types.js';
import type { KeyHelp } from './keys.js';
import { FILE_MODELS, STREAM_MODELS, TuiStore, type ModelPolicy } from './store.js';
import { TuiState } from './state.js';
import { TuiView } from './view.js';
import { FileByteViews } from './file-views.js';
import type { NodeParserSettings } from '../node-verdict/types.js';

export interface ExtraKey extends KeyHelp {
  /** Key names as blessed spells them (`r`, `C-r`, `S-p`). */
  names: string[];
  action(control: TuiControl): void;
}

/** What an extra key binding or the live dashboard can do to the running UI. */
export interface TuiControl {
  readonly store: TuiStore;
  readonly state: TuiState;
  /** Redraw now (after changing state). */
  redraw(): void;
  /** A one-line message in the status bar (plain text). */
  notify(message: string): void;
  /** Leave the UI, restoring the terminal; runTui resolves with `code`. */
  quit(code?: number): void;
  /**
   * The display is paused (the live dashboard's space key): the store holds what the analysis
   * reports (TuiStore.hold), so the tables stay as they were while keys browse them; the header
   * and the status bar go on.
   */
  paused: boolean;
  /** Lets go of the stored segments of connections the store no longer holds (after store.clear() or keep()). */
  forget(connections: readonly number[]): void;
}

export interface TuiOptions {
  source: AnalysisSource;
  /** Configured rules (src/lint/setup.ts): their findings are shown. */
  rules?: readonly ActiveRule[];
  /** Node's own parser settings for its verdict on every message (src/node-verdict); null or absent: off. */
  nodeVerdict?: NodeParserSettings | null;
  /** A line above the panes, redrawn with them (the live dashboard's interface and counters; plain text). */
  header?: () => string;
  /** Key bindings beyond the standard ones (listed in the `?` overlay). */
  keys?: readonly ExtraKey[];
  /** Where the one-line error goes when the input cannot be opened (default: stderr). */
  err?: (line: string) => void;
  /** Called when the analysis ends (the capture was read through, or the live stream stopped). */
  onEnded?: (summary: CaptureSummary) => void;
  /** Milliseconds between redraws while data streams in (default 50: at most 20 a second). */
  redrawMs?: number;
  /** For a live capture: stops the read (a `-r` stream), and the frame limit (`-c N`). */
  signal?: AbortSignal;
  maxFrames?: number;
  /** Called once the screen is up, with the control (the live dashboard quits through it on a signal). */
  onStart?: (control: TuiControl) => void;
  /**
   * A file holding the source's bytes as they were read, at the same offsets, for a source that is
   * a stream (the live dashboard's spool): bodies and the Raw tab are re-read from it.
   */
  bytesFile?: string | null;
  /** Which models the UI keeps (default: FILE_MODELS for a capture file, STREAM_MODELS for a stream). */
  models?: ModelPolicy;
}

/** Thrown into the analysis by a subscriber when the user quits before the capture was read through. */
class Stopped extends Error {}

/** How long quitting waits for the analysis to stop before resolving anyway. */
const QUIT_WAIT_MS = 200;

/** How long to wait for the input to prove readable before drawing the screen. */
const OPEN_WAIT_MS = 150;

export async function runTui(options: TuiOptions): Promise<number> {
  const err = options.err ?? ((line: string) => process.stderr.write(line));
  const terminalProblem = checkTerminal();
  if (terminalProblem !== null) {
    err(`wirelens: ${terminalProblem}\n`);
    return 2;
  }
  keepModelsYoung();
  const store = new TuiStore();
  // Bytes are re-read from a capture file: the source, or a stream's copy (the live spool); plain
  // stdin has none to go back to.
  const path = typeof options.source === 'string' && options.source !== '-' ? options.source : (options.bytesFile ?? null);
  let redraw = (): void => {};
  const byteViews = new FileByteViews(store, path, () => redraw());
  // A large capture keeps rows, not every model: a connection's models are rebuilt from the file when looked at.
  const fromFile = typeof options.source === 'string' && options.source !== '-';
  const policy = options.models ?? (fromFile ? FILE_MODELS : STREAM_MODELS);
  if (path !== null) store.rebuildWith((id, row) => byteViews.loadModels(id, row, { nodeVerdict: options.nodeVerdict ?? null }), policy, () => redraw());
  store.totalBytes = sizeOf(options.source);
  let stopping = false;
  const stopper = {
    progress: () => {
      if (stopping) throw new Stopped();
    },
    exchange: () => {
      if (stopping) throw new Stopped();
    },
  };
  const analysis = analyse(options.source, { rules: options.rules, nodeVerdict: options.nodeVerdict ?? null, bodies: false, progressEvery: 4096, signal: options.signal, maxFrames: options.maxFrames }, store, byteViews.log, stopper).then(
    (summary) => {
      options.onEnded?.(summary);
      return summary;
    },
    (error: unknown) => {
      if (error instanceof Stopped) return null;
      throw error;
    },
  );
  await firstSign(store, analysis);
  // Nothing could be read at all (no such file, not a capture): one line, no screen.
  if (store.failure !== null && (store.summary?.frames ?? store.progressed?.frames ?? 0) === 0 && store.connections.length === 0) {
    err(`wirelens: ${store.failure.message}\n`);
    return 2;
  }

  // Keys come from the terminal itself when standard input carries the capture (`-`, or the live
  // dashboard's `-r -` through its spool) or is not a terminal at all.
  const fromStdin = needsTerminalInput(options.source);
  const input = fromStdin || process.stdin.isTTY !== true ? openTerminalInput() : process.stdin;
  if (input === null) {
    const why = fromStdin ? `${sourceName(options.source)} is read from standard input` : 'standard input is not a terminal';
    err(`wirelens: ${why}, and there is no terminal (/dev/tty) for the keys\n`);
    return 2;
  }
  const screen = blessed.screen({ smartCSR: true, warnings: false, title: 'wirelens', input, output: process.stdout, autoPadding: false });
  if (unicodeBorders(process.env)) (screen as unknown as { tput: { brokenACS: boolean } }).tput.brokenACS = true;
  const state = new TuiState(store);
  const view = new TuiView(screen, store, state, sourceName(options.source), options.header ?? null, options.keys ?? []);
  view.byteViews = byteViews;

  return new Promise<number>((resolve) => {
    let finished = false;
    const quit = (code = 0): void => {
      if (finished) return;
      finished = true;
      clearInterval(timer);
      stopping = !store.ended;
      screen.destroy();
      if (input !== process.stdin) input.destroy();
      void byteViews.close();
      // Let the analysis unwind (a Stopped thrown at its next event) before the command returns;
      // a quiet live stream may have no next event, and its owner ends it after we return.
      const settled = setTimeout(() => resolve(code), QUIT_WAIT_MS);
      void analysis.finally(() => {
        clearTimeout(settled);
        resolve(code);
      });
    };
    const control: TuiControl = { store, state, redraw: () => view.render(), notify: (m) => view.notify(m), quit,
      paused: false,
      forget: (ids) => {
        for (const id of ids) byteViews.log.drop(id);
      },
    };
    view.bind(control);
    redraw = () => {
      if (!finished) view.render();
    };
    let drawn = -1;
    const timer = setInterval(() => {
      if (store.version !== drawn) {
        drawn = store.version;
        view.render();
      }
    }, options.redrawMs ?? 50);
    view.render();
    options.onStart?.(control);
  });
}

/**
 * V8 moves an allocation site's objects straight into the old generation once enough of them
 * survive a scavenge (allocation-site pretenuring). The UI keeps some models for a while (a small
 * capture's, the selection's), so V8 decided the model builder's sites were long-lived, and every
 * later model — dropped at once — had to wait for a full GC: loading 100 000 short connections took
 * 5.2 s instead of 2.8 s, the 412 MB synthetic capture 1.2 s instead of 0.8 s (the store alone).
 * The streaming commands keep nothing and gain nothing from it (measured): only the UI turns it off.
 */
function keepModelsYoung(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}

/** Resolves at the first sign of the input: a connection, progress, an error or the end (or after OPEN_WAIT_MS). */
function firstSign(store: TuiStore, analysis: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const started = store.version;
    const timer = setTimeout(done, OPEN_WAIT_MS);
    const poll = setInterval(() => {
      if (store.version !== started) done();
    }, 5);
    void analysis.finally(done);
    function done(): void {
      clearTimeout(timer);
      clearInterval(poll);
      resolve();
    }
  });
}

/**
 * Whether to draw borders with Unicode box characters rather than the terminal's ACS line set:
 * under tmux and screen the ACS switch is commonly lost (borders come out as `x` and `q`), and
 * NCURSES_NO_UTF8_ACS=1 is ncurses' own way of saying so; a UTF-8 locale can show them anyway.
 */
export function unicodeBorders(env: NodeJS.ProcessEnv): boolean {
  if (env.NCURSES_NO_UTF8_ACS === '1' || env.TMUX !== undefined || env.STY !== undefined) return true;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  return /utf-?8/i.test(locale);
}

/** Why this terminal cannot show the UI, or null. */
export function checkTerminal(env: NodeJS.ProcessEnv = process.env): string | null {
  const term = env.TERM ?? '';
  if (term === '' || term === 'dumb') return `the terminal (TERM=${term || 'unset'}) cannot show the UI; use \`wirelens report FILE\` for text`;
  return null;
}

/** Standard input carries the capture: keys come from the terminal itself. */
function needsTerminalInput(source: AnalysisSource): boolean {
  return source === '-' || (typeof source !== 'string' && source.stream === process.stdin);
}

function openTerminalInput(): ReadStream | null {
  try {
    return new ReadStream(openSync('/dev/tty', 'r'));
  } catch {
    return null;
  }
}

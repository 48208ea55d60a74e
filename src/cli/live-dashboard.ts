/**
 * `wirelens live` on a terminal: the terminal UI (src/tui/app.ts) over the live session's stream,
 * with a header of rates and counters (src/tui/live-header.ts) and the live keys: F follow, space
 * pause, c clear, w save. Quitting (q, Ctrl-C, or a signal through the caller's Stopper) stops
 * the capture and waits for tcpdump to exit; the spool is disposed.
 */
import { join } from 'node:path';
import type { LiveSession } from '../capture/live-session.js';
import { saveName } from '../capture/spool.js';
import { describeSystemError } from '../capture/system-error.js';
import type { ActiveRule } from '../lint/config.js';
import type { NodeParserSettings } from '../node-verdict/types.js';
import type { ExtraKey, TuiControl } from '../tui/app.js';
import { liveHeader, RateMeter } from '../tui/live-header.js';

export interface DashboardOptions {
  rules: readonly ActiveRule[];
  /** Node's verdict on every message (null: --no-node-verdict). */
  nodeVerdict: NodeParserSettings | null;
  /** Exchanges kept in the tables (`--keep N`); older ones leave but stay counted. */
  keep: number;
  err: (line: string) => void;
  /** Stop after this many frames (`-c N`; tcpdump also stops by itself). */
  maxFrames?: number;
  /** Receives the function that quits the UI (for signals and --duration); called at once if already stopped. */
  onQuit: (quit: () => void) => void;
}

/** How often the dashboard follows, trims and refreshes the rates in the header. */
const TICK_MS = 100;
/** The header's rates are redrawn at least this often, traffic or not. */
const HEADER_MS = 1000;

export async function runDashboard(session: LiveSession, options: DashboardOptions): Promise<number> {
  const { runTui } = await import('../tui/app.js');
  const spool = session.spool;
  const meter = new RateMeter();
  let follow = true;
  let ended = false;
  let ticker: NodeJS.Timeout | null = null;
  let store: TuiControl['store'] | null = null;
  let paused = (): boolean => false;

  const header = (): string => {
    const [packets, bytes, exchanges] = meter.sample(Date.now(), [spool?.packets ?? 0, spool?.bytes ?? 0, store?.exchangeCount ?? 0]);
    return liveHeader({
      source: session.tcpdump === null ? session.name : `${session.name} (${session.tcpdump.filter})`,
      packetsPerSecond: packets,
      bytesPerSecond: bytes,
      exchangesPerSecond: exchanges,
      openConnections: store?.connections.filter((c) => c.closed === null).length ?? 0,
      exchanges: store?.exchangeCount ?? 0,
      findings: store?.counts ?? { error: 0, warning: 0, note: 0 },
      follow,
      paused: paused(),
      held: store?.heldCount ?? 0,
      ended,
    });
  };

  const keys: ExtraKey[] = [
    {
      names: ['S-f'],
      keys: 'F',
      help: 'follow mode: the newest exchange selected (on at start)',
      action: (control) => {
        follow = !follow;
        if (follow) selectNewest(control);
      },
    },
    {
      names: ['space'],
      keys: 'Space',
      help: 'pause / resume the display: the tables stay as they are (the capture and analysis go on)',
      action: (control) => setPaused(control, !control.paused),
    },
    {
      names: ['c'],
      keys: 'c',
      help: 'clear the tables (the header keeps counting)',
      action: (control) => control.forget(control.store.clear()),
    },
    {
      names: ['w'],
      keys: 'w',
      help: 'save what was captured so far to ./wirelens-DATE-TIME.pcap(ng)',
      action: (control) => control.notify(save(session)),
    },
  ];

  const onStart = (control: TuiControl): void => {
    store = control.store;
    paused = () => control.paused;
    let seen = -1;
    let headerAt = Date.now();
    ticker = setInterval(() => {
      if (control.paused && control.store.heldCount > MAX_HELD) {
        setPaused(control, false);
        control.notify(`resumed: more than ${MAX_HELD} updates came in while paused`);
      }
      const changed = control.store.version !== seen;
      seen = control.store.version;
      if (changed) control.forget(control.store.keep(options.keep));
      // Paused, the store holds what comes (the tables stay as they are); the header goes on.
      if (changed && follow && !control.paused) selectNewest(control);
      if (changed || Date.now() - headerAt >= HEADER_MS) {
        headerAt = Date.now();
        control.redraw();
      }
    }, TICK_MS);
    options.onQuit(() => control.quit(0));
  };

  try {
    return await runTui({
      source: session.source,
      signal: session.signal,
      maxFrames: options.maxFrames,
      rules: options.rules,
      nodeVerdict: options.nodeVerdict,
      header, keys, err: options.err, onStart, onEnded: () => (ended = true),
      bytesFile: spool?.path ?? null });
  } finally {
    if (ticker !== null) clearInterval(ticker);
    session.stop();
    await session.close();
    spool?.dispose();
  }
}

/**
 * Updates held while paused, at most: past this the dashboard resumes on its own (the held models
 * are memory that grows with the traffic, where --keep bounds the tables).
 */
const MAX_HELD = 50_000;

/** Pauses the display (the store holds what comes: the tables stay as they are) or resumes it (applying it). */
function setPaused(control: TuiControl, paused: boolean): void {
  control.paused = paused;
  if (paused) control.store.hold();
  else control.store.release();
}

/** Follow mode: the exchange reported last. */
function selectNewest(control: TuiControl): void {
  const x = control.store.newest;
  if (x === null) return;
  if (control.state.connection !== x.connection || control.state.exchange !== x.index) control.state.select(x.connection, x.index);
}

/** Saves the spool to the current directory; the status-bar message. */
function save(session: LiveSession): string {
  const spool = session.spool;
  if (spool === null) return 'nothing to save: no spool';
  const name = saveName(new Date(), spool.format);
  try {
    const { packets } = spool.save(join(process.cwd(), name));
    return `saved ${packets} packet${packets === 1 ? '' : 's'} to ${name}`;
  } catch (error) {
    return `cannot save ${name}: ${describeSystemError(error as NodeJS.ErrnoException)}`;
  }
}

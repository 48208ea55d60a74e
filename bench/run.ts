import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BASE_EXCHANGES, generate, paramsOf, repoRoot, SHAPES, type Shape } from './generate.js';
import { generateNodeTraffic, nodeTrafficParams } from './node-traffic.js';
import { generateShortConns, SHORT_CONNS_BASE, shortConnsParams } from './short-conns.js';

/**
 * `npm run bench`: generates (or reuses) the captures of each traffic shape, then times wirelens
 * against tshark on them, interleaving the commands run by run, and reports median wall time,
 * min–max, peak RSS, the speed-up and whether the shape's targets hold. A measurement, not a
 * test: it exits 0 even when a target is missed (and prints MISSED).
 */

const GNU_TIME = '/usr/bin/time';
const OUT_DIR = resolve(repoRoot, 'bench/out');
const WIRELENS = resolve(repoRoot, 'bin/wirelens');
/** Shapes run when `--shape` is not given: together ≈ 10 minutes on 2 cores at the default runs. */
const DEFAULT_SHAPES: readonly Shape[] = SHAPES;
const DEFAULT_RUNS = 3;

/** What every generator's stats have in common (the sidecar JSON holds the rest). */
interface CaptureStats {
  params: object;
  file: string;
  bytes: number;
  frames: number;
  connections: number;
  exchanges: number;
  generationSeconds: number;
}

/** One capture a shape is measured on. */
interface CaptureSpec {
  /** '1×', '2×', '25 %', … — how it relates to the shape's base size. */
  label: string;
  file: string;
  params: object;
  make: () => CaptureStats;
  /** Also time the tshark baselines on it (speed-up is reported where they ran). */
  baseline: boolean;
}

interface Capture extends Omit<CaptureSpec, 'make' | 'params'> {
  shape: Shape;
  stats: CaptureStats;
  reused: boolean;
}

interface ShapeTargets {
  /** Minimum speed-up over tshark, per wirelens command. */
  speedup: Record<WirelensId, number>;
  /** Highest acceptable wirelens peak RSS. */
  rssMiB: number;
  /** Memory must not grow with capture length: largest ÷ smallest RSS, or largest − smallest in MiB. */
  flat: { kind: 'ratio'; max: number } | { kind: 'spread'; maxMiB: number } | null;
}

type WirelensId = 'wirelens-conns' | 'wirelens-report' | 'wirelens-lint' | 'wirelens-export-ndjson';

const TARGETS: Record<Shape, ShapeTargets> = {
  // Issue 8: conns ≥ 12×, report --json ≥ 10× on both the synthetic and the real-traffic shape;
  // issue 9: lint ≥ 15× tshark's http.request fields on both, ≤ 100 MiB.
  synthetic: { speedup: { 'wirelens-conns': 12, 'wirelens-report': 10, 'wirelens-lint': 15, 'wirelens-export-ndjson': 8 }, rssMiB: 150, flat: { kind: 'ratio', max: 1.1 } },
  'node-traffic': { speedup: { 'wirelens-conns': 12, 'wirelens-report': 10, 'wirelens-lint': 15, 'wirelens-export-ndjson': 8 }, rssMiB: 100, flat: { kind: 'spread', maxMiB: 10 } },
  'short-conns': { speedup: { 'wirelens-conns': 4, 'wirelens-report': 4, 'wirelens-lint': 4, 'wirelens-export-ndjson': 8 }, rssMiB: 100, flat: null },
};

interface CommandSpec {
  id: WirelensId | 'tshark-conv' | 'tshark-http' | 'tshark-json';
  tool: 'wirelens' | 'tshark';
  /** The wirelens command this tshark run is the baseline of (itself for wirelens). */
  pair: WirelensId;
  /** A wirelens command measured against another's baseline (lint against report's tshark run). */
  baseline?: WirelensId;
  /** Exit codes of a successful run besides 0 (lint exits 1 when it finds an error). */
  alsoOk?: number[];
  label: string;
  argv: (file: string) => [string, string[]];
}

interface Measurement {
  shape: Shape;
  capture: string;
  command: string;
  id: string;
  tool: string;
  argv: string[];
  seconds: number[];
  rssMiB: number[];
  medianSeconds: number | null;
  minSeconds: number | null;
  maxSeconds: number | null;
  /** Highest peak RSS over the runs. */
  peakRssMiB: number | null;
  error?: string;
}

const COMMANDS: CommandSpec[] = [
  {
    id: 'wirelens-conns',
    tool: 'wirelens',
    pair: 'wirelens-conns',
    label: 'wirelens conns --json',
    argv: (f) => [WIRELENS, ['conns', '--json', f]],
  },
  {
    id: 'tshark-conv',
    tool: 'tshark',
    pair: 'wirelens-conns',
    label: 'tshark -q -z conv,tcp',
    argv: (f) => ['tshark', ['-q', '-z', 'conv,tcp', '-r', f]],
  },
  {
    id: 'wirelens-report',
    tool: 'wirelens',
    pair: 'wirelens-report',
    label: 'wirelens report --json',
    argv: (f) => [WIRELENS, ['report', '--json', f]],
  },
  {
    id: 'wirelens-lint',
    tool: 'wirelens',
    pair: 'wirelens-lint',
    baseline: 'wirelens-report',
    label: 'wirelens lint',
    alsoOk: [1],
    // Findings only, no serialisation: Node's verdict on (the default) and every rule.
    argv: (f) => [WIRELENS, ['lint', f]],
  },
  {
    id: 'tshark-http',
    tool: 'tshark',
    pair: 'wirelens-report',
    label: 'tshark -Y http.request -T fields',
    argv: (f) => ['tshark', ['-r', f, '-Y', 'http.request', '-T', 'fields', '-e', 'http.request.method', '-e', 'http.request.uri']],
  },
  // Issue 13's target (≥ 8× tshark -T json, flat memory); only with --export: tshark -T json is slow.
  {
    id: 'wirelens-export-ndjson',
    tool: 'wirelens',
    pair: 'wirelens-export-ndjson',
    label: 'wirelens export --format ndjson',
    argv: (f) => [WIRELENS, ['export', '--format', 'ndjson', f]],
  },
  {
    id: 'tshark-json',
    tool: 'tshark',
    pair: 'wirelens-export-ndjson',
    label: 'tshark -T json',
    argv: (f) => ['tshark', ['-r', f, '-T', 'json']],
  },
];

function log(line: string): void {
  process.stderr.write(line + '\n');
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Reuse `spec.file` when its sidecar `.json` records the same parameters and the size matches. */
function ensureCapture(shape: Shape, spec: CaptureSpec): Capture {
  const sidecar = `${spec.file}.json`;
  const { make, params, ...rest } = spec;
  if (existsSync(spec.file) && existsSync(sidecar)) {
    try {
      const stats = JSON.parse(readFileSync(sidecar, 'utf8')) as CaptureStats;
      if (JSON.stringify(stats.params) === JSON.stringify(params) && statSync(spec.file).size === stats.bytes) {
        log(`reusing ${relative(repoRoot, spec.file)} (${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.frames} frames)`);
        return { ...rest, shape, stats, reused: true };
      }
    } catch {
      // unreadable sidecar: regenerate
    }
  }
  log(`generating ${relative(repoRoot, spec.file)} (${shape} ${spec.label})…`);
  rmSync(sidecar, { force: true });
  const stats = make();
  writeFileSync(sidecar, JSON.stringify(stats, null, 2) + '\n');
  log(`  ${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.frames} frames, ${stats.connections} connections, ${stats.exchanges} exchanges in ${stats.generationSeconds.toFixed(1)} s`);
  return { ...rest, shape, stats, reused: false };
}

interface SizeOptions {
  scale: number;
  /** Synthetic only: exchanges in its 1× capture (overrides scale). */
  exchanges: number | undefined;
  seed: number;
  /** short-conns: add the 10⁶-connection capture. */
  million: boolean;
}

/** The captures of one shape, smallest first, generated as needed (later ones may depend on earlier ones). */
function capturesOf(shape: Shape, o: SizeOptions): Capture[] {
  const file = (name: string) => join(OUT_DIR, `${name}.pcap`);
  if (shape === 'synthetic') {
    const base = o.exchanges ?? BASE_EXCHANGES * o.scale;
    return [1, 2].map((factor) => {
      const exchanges = Math.round(base * factor);
      const out = file(`synthetic-s${o.seed}-x${exchanges}`);
      return ensureCapture(shape, { label: `${factor}×`, file: out, params: paramsOf({ out, exchanges, seed: o.seed }), make: () => generate({ out, exchanges, seed: o.seed }), baseline: true });
    });
  }
  if (shape === 'node-traffic') {
    const whole = (factor: number): CaptureSpec => {
      const out = file(`node-traffic-s${o.seed}-x${o.scale * factor}`);
      const opts = { out, scale: o.scale * factor, seed: o.seed };
      return { label: `${factor}×`, file: out, params: nodeTrafficParams(opts), make: () => generateNodeTraffic(opts), baseline: true };
    };
    const one = ensureCapture(shape, whole(1));
    // Prefixes of the 1× traffic (the same bytes, cut after a share of its frames): RSS must not climb with them.
    const prefixes = [0.25, 0.5].map((share) => {
      const maxFrames = Math.floor(one.stats.frames * share);
      const out = file(`node-traffic-s${o.seed}-x${o.scale}-f${maxFrames}`);
      const opts = { out, scale: o.scale, seed: o.seed, maxFrames };
      return ensureCapture(shape, { label: `${share * 100} %`, file: out, params: nodeTrafficParams(opts), make: () => generateNodeTraffic(opts), baseline: false });
    });
    return [...prefixes, one, ensureCapture(shape, whole(2))];
  }
  const counts: Array<[string, number]> = [['1×', Math.round(SHORT_CONNS_BASE * o.scale)]];
  if (o.million) counts.push(['10⁶', 1_000_000]);
  return counts.map(([label, connections]) => {
    const out = file(`short-conns-s${o.seed}-c${connections}`);
    const opts = { out, connections, seed: o.seed };
    return ensureCapture(shape, { label, file: out, params: shortConnsParams(opts), make: () => generateShortConns(opts), baseline: true });
  });
}

/** Read the file once so the first timed run does not pay for the disk. */
function warmPageCache(file: string): void {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  while (readSync(fd, buf, 0, buf.length, null) > 0);
  closeSync(fd);
}

interface RunResult {
  seconds: number;
  rssMiB: number | null;
  code: number | null;
  stderrTail: string;
}

/** One run: stdout → /dev/null, wall time from spawn to exit, peak RSS from GNU time (or /proc polling). */
function runOnce(cmd: string, args: string[], useGnuTime: boolean): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const timeFile = join(tmpdir(), `wirelens-bench-${process.pid}-${Date.now()}.time`);
    const [exe, argv] = useGnuTime ? [GNU_TIME, ['-f', '%e %M', '-o', timeFile, cmd, ...args]] : [cmd, args];
    const started = process.hrtime.bigint();
    const child = spawn(exe, argv, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    let polledKiB = 0;
    const poll = useGnuTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) polledKiB = Math.max(polledKiB, Number(m[1]));
          } catch {
            // process gone
          }
        }, 10);
    child.on('error', (err) => {
      if (poll) clearInterval(poll);
      reject(err);
    });
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (poll) clearInterval(poll);
      let rssKiB: number | null = polledKiB > 0 ? polledKiB : null;
      if (useGnuTime) {
        try {
          // With a non-zero exit GNU time writes "Command exited with non-zero status N" first.
          const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
          const kib = Number(last.split(/\s+/)[1]);
          if (Number.isFinite(kib)) rssKiB = kib;
        } catch {
          // no time file: leave RSS unknown
        }
        rmSync(timeFile, { force: true });
      }
      resolvePromise({ seconds, rssMiB: rssKiB === null ? null : rssKiB / 1024, code, stderrTail: stderr.replace(/^Running as user .*dangerous\.\n?/gm, '').trim() });
    });
  });
}

function fmt(n: number | null, digits = 2): string {
  return n === null ? '—' : n.toFixed(digits);
}

function verdict(ok: boolean | null): string {
  return ok === null ? 'n/a' : ok ? 'OK' : 'MISSED';
}

const HELP =
  'npm run bench -- [--shape S[,S…]|all] [--runs N] [--scale F | --exchanges N] [--seed S] [--short-conns-1m] [--export]\n' +
  `  --shape S        ${SHAPES.join(' | ')} | all (default all; several: comma-separated)\n` +
  `  --runs N         timed runs per command and capture (default ${DEFAULT_RUNS}; the median is reported)\n` +
  `  --scale F        size of every shape's 1× capture as a multiple of its default (synthetic ${BASE_EXCHANGES} exchanges ≈ 400 MB,\n` +
  `                   node-traffic 8 × 1 700 exchanges + 270 connections ≈ 107 MB, short-conns ${SHORT_CONNS_BASE} connections ≈ 66 MB)\n` +
  `  --exchanges N    synthetic only: exchanges in its 1× capture (overrides --scale)\n` +
  `  --seed S         generator seed (default 1)\n` +
  `  --short-conns-1m short-conns also on 10⁶ connections (8 M frames, ≈ 660 MB; generated only with this flag)\n` +
  `  --export         also time \`wirelens export --format ndjson\` against \`tshark -T json\` (≥ 8× wanted)\n`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      shape: { type: 'string', default: 'all' },
      runs: { type: 'string', default: String(DEFAULT_RUNS) },
      scale: { type: 'string', default: '1' },
      exchanges: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'short-conns-1m': { type: 'boolean', default: false },
      export: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const runs = Math.max(1, Math.floor(Number(values.runs)));
  const seed = Number(values.seed) >>> 0;
  const scale = Number(values.scale);
  const exchanges = values.exchanges !== undefined ? Number(values.exchanges) : undefined;
  if (!Number.isFinite(runs) || !(scale > 0) || (exchanges !== undefined && !(exchanges >= 1))) {
    process.stderr.write('bench: --runs, --scale and --exchanges must be positive numbers\n');
    return 2;
  }
  const wanted = values.shape === 'all' ? [...DEFAULT_SHAPES] : values.shape.split(',').map((s) => s.trim());
  const unknown = wanted.filter((s) => !(SHAPES as readonly string[]).includes(s));
  if (unknown.length > 0 || wanted.length === 0) {
    process.stderr.write(`bench: unknown --shape ${unknown.join(', ')}; one of ${SHAPES.join(', ')}, all\n`);
    return 2;
  }
  const shapes = SHAPES.filter((s) => wanted.includes(s));
  const sizes: SizeOptions = { scale, exchanges, seed, million: values['short-conns-1m'] };
  mkdirSync(OUT_DIR, { recursive: true });

  const useGnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;
  if (!useGnuTime) log(`bench: ${GNU_TIME} not usable; peak RSS is polled from /proc/<pid>/status (VmHWM, every 10 ms)`);
  const tsharkVersion = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  const haveTshark = tsharkVersion.status === 0;
  if (!haveTshark) log('bench: tshark not found; only wirelens is measured');

  const captures = shapes.flatMap((shape) => capturesOf(shape, sizes));

  // Which commands can run at all.
  const notes: string[] = [];
  const cliCheck = spawnSync(process.execPath, [WIRELENS, 'conns', '--help'], { cwd: repoRoot, encoding: 'utf8' });
  const reportCheck = spawnSync(process.execPath, [WIRELENS, 'report', '--help'], { cwd: repoRoot, encoding: 'utf8' });
  const available = COMMANDS.filter((c) => {
    if (c.pair === 'wirelens-export-ndjson' && !values.export) return false;
    if (c.tool === 'tshark') return haveTshark;
    if (c.id === 'wirelens-report' && reportCheck.status !== 0) {
      notes.push('report: not available yet');
      return false;
    }
    if (c.id === 'wirelens-conns' && cliCheck.status !== 0) {
      notes.push(`conns: not available (${(cliCheck.stderr || cliCheck.stdout).trim().split('\n')[0]})`);
      return false;
    }
    return true;
  });
  // A tshark baseline whose wirelens counterpart is missing is not worth minutes of runs.
  const commands = available.filter((c) => c.tool === 'wirelens' || available.some((o) => o.id === c.pair));
  for (const n of notes) log(n);

  // Sanity check (untimed; also warms the page cache): wirelens sees what the generator wrote.
  for (const c of captures) {
    warmPageCache(c.file);
    if (!commands.some((x) => x.id === 'wirelens-conns')) continue;
    const r = spawnSync(process.execPath, [WIRELENS, 'conns', '--json', c.file], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 30 });
    const name = `${c.shape} ${c.label}`;
    try {
      const j = JSON.parse(r.stdout) as { frames: number; connections: unknown[] };
      const ok = j.frames === c.stats.frames && j.connections.length === c.stats.connections;
      const line = `sanity ${name}: wirelens conns saw ${j.frames} frames / ${j.connections.length} connections; generator wrote ${c.stats.frames} / ${c.stats.connections} — ${ok ? 'OK' : 'MISMATCH'}`;
      log(line);
      if (!ok) notes.push(line);
    } catch {
      const line = `sanity ${name}: wirelens conns --json exited ${r.status} without JSON: ${(r.stderr ?? '').trim().split('\n').slice(-1)[0]}`;
      log(line);
      notes.push(line);
    }
  }

  const measurements: Measurement[] = [];
  for (const c of captures) {
    const here = commands.filter((spec) => spec.tool === 'wirelens' || c.baseline);
    const rows = here.map((spec): Measurement => {
      const [cmd, args] = spec.argv(c.file);
      return {
        shape: c.shape,
        capture: c.label,
        command: spec.label,
        id: spec.id,
        tool: spec.tool,
        argv: [cmd, ...args].map((a) => (a.startsWith(repoRoot) ? relative(repoRoot, a) : a)),
        seconds: [],
        rssMiB: [],
        medianSeconds: null,
        minSeconds: null,
        maxSeconds: null,
        peakRssMiB: null,
      };
    });
    // Interleave the commands run by run so background load hits them alike.
    for (let run = 1; run <= runs; run++) {
      for (let i = 0; i < here.length; i++) {
        const m = rows[i];
        if (m.error) continue;
        const [cmd, args] = here[i].argv(c.file);
        const r = await runOnce(cmd, args, useGnuTime);
        if (r.code !== 0 && !(here[i].alsoOk ?? []).includes(r.code ?? -1)) {
          m.error = `exit ${r.code}: ${r.stderrTail.split('\n').slice(-1)[0] ?? ''}`;
          log(`${c.shape} ${c.label} ${m.command}: run ${run} FAILED (${m.error})`);
          continue;
        }
        m.seconds.push(r.seconds);
        if (r.rssMiB !== null) m.rssMiB.push(r.rssMiB);
        log(`${c.shape} ${c.label} ${m.command}: run ${run}/${runs} ${r.seconds.toFixed(2)} s, ${fmt(r.rssMiB, 1)} MiB`);
      }
    }
    for (const m of rows) {
      if (m.seconds.length > 0) {
        m.medianSeconds = median(m.seconds);
        m.minSeconds = Math.min(...m.seconds);
        m.maxSeconds = Math.max(...m.seconds);
      }
      if (m.rssMiB.length > 0) m.peakRssMiB = Math.max(...m.rssMiB);
      measurements.push(m);
    }
  }

  const out: string[] = [];
  out.push('');
  out.push(`${runs} run(s) per command; node ${process.version}; ${haveTshark ? tsharkVersion.stdout.split('\n')[0] : 'no tshark'}; RSS via ${useGnuTime ? 'GNU time' : '/proc polling'}`);
  const comparisons: Array<Record<string, unknown>> = [];
  let allMet = true;
  for (const shape of shapes) {
    const verdicts = reportShape(shape, captures.filter((c) => c.shape === shape), measurements.filter((m) => m.shape === shape), commands, out);
    comparisons.push(...verdicts.comparisons);
    if (!verdicts.met) allMet = false;
  }
  for (const n of notes) out.push(n);
  out.push('');
  out.push(allMet ? 'ALL TARGETS MET' : 'MISSED: at least one target is not met (or not measured) — see above');
  process.stdout.write(out.join('\n') + '\n');

  const resultsFile = join(OUT_DIR, 'results.json');
  writeFileSync(
    resultsFile,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        tshark: haveTshark ? tsharkVersion.stdout.split('\n')[0] : null,
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, totalMemGiB: totalmem() / 2 ** 30 },
        runs,
        shapes,
        rssSource: useGnuTime ? 'gnu-time' : 'proc-vmhwm-poll',
        targets: Object.fromEntries(shapes.map((s) => [s, TARGETS[s]])),
        captures: captures.map((c) => ({ ...c.stats, shape: c.shape, label: c.label, file: relative(repoRoot, c.file), reused: c.reused })),
        measurements,
        comparisons,
        notes,
        allTargetsMet: allMet,
      },
      null,
      2,
    ) + '\n',
  );
  process.stdout.write(`results: ${relative(repoRoot, resultsFile)}\n`);
  return 0;
}

/** One shape's table and verdicts, appended to `out`. */
function reportShape(
  shape: Shape,
  captures: Capture[],
  measurements: Measurement[],
  commands: CommandSpec[],
  out: string[],
): { met: boolean; comparisons: Array<Record<string, unknown>> } {
  const targets = TARGETS[shape];
  out.push('');
  out.push(`== ${shape}`);
  for (const c of captures) {
    out.push(`${c.label.padEnd(5)} ${relative(repoRoot, c.file)} (${(c.stats.bytes / 1e6).toFixed(0)} MB, ${c.stats.frames} frames, ${c.stats.connections} conns, ${c.stats.exchanges} exchanges)`);
  }
  out.push('');
  const header = ['size', 'command', 'median s', 'min–max s', 'peak RSS MiB'];
  const table = measurements.map((m) => [
    m.capture,
    m.command,
    m.error && m.medianSeconds === null ? 'FAILED' : fmt(m.medianSeconds),
    m.minSeconds === null ? '—' : `${fmt(m.minSeconds)}–${fmt(m.maxSeconds)}`,
    fmt(m.peakRssMiB, 1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i >= 2 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ');
  out.push(line(header));
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table) out.push(line(r));
  for (const m of measurements) if (m.error) out.push(`  ${m.capture} ${m.command}: ${m.error}`);

  const flat = targets.flat === null ? 'no flatness target' : targets.flat.kind === 'ratio' ? `RSS of the largest ≤ ${Math.round((targets.flat.max - 1) * 100)}% above the smallest` : `RSS within ${targets.flat.maxMiB} MiB over all sizes`;
  out.push('');
  out.push(`targets: conns ≥ ${targets.speedup['wirelens-conns']}×, report ≥ ${targets.speedup['wirelens-report']}×, lint ≥ ${targets.speedup['wirelens-lint']}×${commands.some((c) => c.id === 'wirelens-export-ndjson') ? `, export ndjson ≥ ${targets.speedup['wirelens-export-ndjson']}×` : ''} tshark; wirelens peak RSS ≤ ${targets.rssMiB} MiB; ${flat}`);
  const find = (capture: string, id: string) => measurements.find((m) => m.capture === capture && m.id === id);
  const comparisons: Array<Record<string, unknown>> = [];
  let met = true;
  for (const wid of ['wirelens-conns', 'wirelens-report', 'wirelens-lint', 'wirelens-export-ndjson'] as const) {
    const own = captures.map((c) => find(c.label, wid));
    const against = COMMANDS.find((c) => c.id === wid)?.baseline ?? wid;
    const tid = commands.find((c) => c.tool === 'tshark' && c.pair === against)?.id;
    // export is measured only when asked for (--export).
    if (wid === 'wirelens-export-ndjson' && !commands.some((c) => c.id === wid)) continue;
    if (own.every((m) => m === undefined)) {
      out.push(`${wid.replace('-', ' ')}: not measured`);
      comparisons.push({ shape, wirelens: wid, measured: false });
      met = false;
      continue;
    }
    const speedups = captures
      .filter((c) => c.baseline)
      .map((c) => {
        const w = find(c.label, wid)?.medianSeconds ?? null;
        const t = tid ? (find(c.label, tid)?.medianSeconds ?? null) : null;
        return { capture: c.label, speedup: w !== null && t !== null && w > 0 ? t / w : null };
      });
    const speedOk = speedups.length > 0 && speedups.every((s) => s.speedup !== null) ? speedups.every((s) => s.speedup! >= targets.speedup[wid]) : null;
    const rss = captures.map((c) => ({ capture: c.label, rssMiB: find(c.label, wid)?.peakRssMiB ?? null }));
    const known = rss.map((r) => r.rssMiB).filter((r): r is number => r !== null);
    const rssOk = known.length === rss.length ? known.every((r) => r <= targets.rssMiB) : null;
    const lo = known.length > 0 ? Math.min(...known) : null;
    const hi = known.length > 0 ? Math.max(...known) : null;
    let flatOk: boolean | null = null;
    let flatText = '';
    if (targets.flat && lo !== null && hi !== null && known.length === rss.length && known.length > 1) {
      if (targets.flat.kind === 'ratio') {
        flatOk = hi / lo <= targets.flat.max;
        flatText = `largest/smallest +${((hi / lo - 1) * 100).toFixed(1)}% → flat ${verdict(flatOk)}`;
      } else {
        flatOk = hi - lo <= targets.flat.maxMiB;
        flatText = `spread ${(hi - lo).toFixed(1)} MiB → flat ${verdict(flatOk)}`;
      }
    } else if (known.length > 1 && lo !== null && hi !== null) {
      flatText = `spread ${(hi - lo).toFixed(1)} MiB (no target)`;
    }
    for (const ok of [speedOk, rssOk, ...(targets.flat ? [flatOk] : [])]) if (ok !== true) met = false;
    const sp = speedups.map((s) => `${s.capture} ${s.speedup === null ? '—' : s.speedup.toFixed(1) + '×'}`).join(', ');
    out.push(`${own.find((m) => m)!.command} vs ${tid ? COMMANDS.find((c) => c.id === tid)!.label : 'tshark (not run)'}: speed-up ${sp || '—'} → ≥ ${targets.speedup[wid]}× ${verdict(speedOk)}`);
    out.push(`  peak RSS ${rss.map((r) => `${r.capture} ${fmt(r.rssMiB, 1)}`).join(', ')} MiB → ≤ ${targets.rssMiB} MiB ${verdict(rssOk)}${flatText ? `; ${flatText}` : ''}`);
    comparisons.push({ shape, wirelens: wid, tshark: tid ?? null, speedups, speedupTarget: targets.speedup[wid], speedupTargetMet: speedOk, rss, rssTargetMiB: targets.rssMiB, rssTargetMet: rssOk, rssSpreadMiB: hi !== null && lo !== null ? hi - lo : null, flatTarget: targets.flat, flatTargetMet: flatOk });
  }
  return { met, comparisons };
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  },
);

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BASE_EXCHANGES, generate, paramsOf, repoRoot, type GenerateParams, type GenerateStats } from './generate.js';

/**
 * `npm run bench`: generates (or reuses) the synthetic capture at 1× and 2× size, then times
 * wirelens against tshark on both, interleaving the commands run by run, and reports median wall
 * time, min–max, peak RSS, the speed-up and whether the targets hold. A measurement, not a test:
 * it exits 0 even when a target is missed (and prints MISSED).
 */

const TARGET_SPEEDUP = 10;
const TARGET_RSS_MIB = 150;
const TARGET_FLAT = 1.1; // RSS at 2× ≤ 110% of RSS at 1×
const GNU_TIME = '/usr/bin/time';
const OUT_DIR = resolve(repoRoot, 'bench/out');
const WIRELENS = resolve(repoRoot, 'bin/wirelens');

interface Capture {
  factor: number;
  file: string;
  stats: GenerateStats;
  reused: boolean;
}

interface CommandSpec {
  id: string;
  issue: 'A' | 'B';
  tool: 'wirelens' | 'tshark';
  label: string;
  argv: (file: string) => [string, string[]];
}

interface Measurement {
  factor: number;
  command: string;
  id: string;
  issue: string;
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
    issue: 'A',
    tool: 'wirelens',
    label: 'wirelens conns --json',
    argv: (f) => [WIRELENS, ['conns', '--json', f]],
  },
  {
    id: 'tshark-conv',
    issue: 'A',
    tool: 'tshark',
    label: 'tshark -q -z conv,tcp',
    argv: (f) => ['tshark', ['-q', '-z', 'conv,tcp', '-r', f]],
  },
  {
    id: 'wirelens-report',
    issue: 'B',
    tool: 'wirelens',
    label: 'wirelens report --json',
    argv: (f) => [WIRELENS, ['report', '--json', f]],
  },
  {
    id: 'tshark-http',
    issue: 'B',
    tool: 'tshark',
    label: 'tshark -Y http.request -T fields',
    argv: (f) => ['tshark', ['-r', f, '-Y', 'http.request', '-T', 'fields', '-e', 'http.request.method', '-e', 'http.request.uri']],
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

/** Reuse `bench/out/<name>.pcap` when its sidecar records the same parameters and the size matches. */
function ensureCapture(factor: number, base: number, seed: number): Capture {
  const exchanges = Math.round(base * factor);
  const file = join(OUT_DIR, `synthetic-s${seed}-x${exchanges}.pcap`);
  const sidecar = `${file}.json`;
  const want: GenerateParams = paramsOf({ out: file, exchanges, seed });
  if (existsSync(file) && existsSync(sidecar)) {
    try {
      const stats = JSON.parse(readFileSync(sidecar, 'utf8')) as GenerateStats;
      if (JSON.stringify(stats.params) === JSON.stringify(want) && statSync(file).size === stats.bytes) {
        log(`reusing ${relative(repoRoot, file)} (${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.frames} frames)`);
        return { factor, file, stats, reused: true };
      }
    } catch {
      // unreadable sidecar: regenerate
    }
  }
  log(`generating ${relative(repoRoot, file)} (${exchanges} exchanges)…`);
  rmSync(sidecar, { force: true });
  const stats = generate({ out: file, exchanges, seed });
  writeFileSync(sidecar, JSON.stringify(stats, null, 2) + '\n');
  log(`  ${(stats.bytes / 1e6).toFixed(1)} MB, ${stats.frames} frames, ${stats.connections} connections, ${stats.exchanges} exchanges in ${stats.generationSeconds.toFixed(1)} s`);
  return { factor, file, stats, reused: false };
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

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '5' },
      scale: { type: 'string', default: '1' },
      exchanges: { type: 'string' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'npm run bench -- [--runs N] [--scale F | --exchanges N] [--seed S]\n' +
        `  --runs N       timed runs per command and size (default 5; the median is reported)\n` +
        `  --scale F      size of the 1× capture as a multiple of ${BASE_EXCHANGES} exchanges (≈ 400 MB); 2× is twice that\n` +
        `  --exchanges N  exchanges in the 1× capture (overrides --scale)\n` +
        `  --seed S       generator seed (default 1)\n`,
    );
    return 0;
  }
  const runs = Math.max(1, Math.floor(Number(values.runs)));
  const seed = Number(values.seed) >>> 0;
  const base = values.exchanges !== undefined ? Number(values.exchanges) : BASE_EXCHANGES * Number(values.scale);
  if (!Number.isFinite(runs) || !Number.isFinite(base) || base < 1) {
    process.stderr.write('bench: --runs, --scale and --exchanges must be positive numbers\n');
    return 2;
  }
  mkdirSync(OUT_DIR, { recursive: true });

  const useGnuTime = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;
  if (!useGnuTime) log(`bench: ${GNU_TIME} not usable; peak RSS is polled from /proc/<pid>/status (VmHWM, every 10 ms)`);
  const tsharkVersion = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  const haveTshark = tsharkVersion.status === 0;
  if (!haveTshark) log('bench: tshark not found; only wirelens is measured');

  const captures = [1, 2].map((factor) => ensureCapture(factor, base, seed));

  // Which commands can run at all.
  const notes: string[] = [];
  const cliCheck = spawnSync(process.execPath, [WIRELENS, 'conns', '--help'], { cwd: repoRoot, encoding: 'utf8' });
  const reportCheck = spawnSync(process.execPath, [WIRELENS, 'report', '--help'], { cwd: repoRoot, encoding: 'utf8' });
  const available = COMMANDS.filter((c) => {
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
  const commands = available.filter((c) => c.tool === 'wirelens' || available.some((o) => o.issue === c.issue && o.tool === 'wirelens'));
  for (const n of notes) log(n);

  // Sanity check (untimed; also warms the page cache): wirelens sees what the generator wrote.
  for (const c of captures) {
    warmPageCache(c.file);
    if (!commands.some((x) => x.id === 'wirelens-conns')) continue;
    const r = spawnSync(process.execPath, [WIRELENS, 'conns', '--json', c.file], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 30 });
    try {
      const j = JSON.parse(r.stdout) as { frames: number; connections: unknown[] };
      const ok = j.frames === c.stats.frames && j.connections.length === c.stats.connections;
      const line = `sanity ${c.factor}×: wirelens conns saw ${j.frames} frames / ${j.connections.length} connections; generator wrote ${c.stats.frames} / ${c.stats.connections} — ${ok ? 'OK' : 'MISMATCH'}`;
      log(line);
      if (!ok) notes.push(line);
    } catch {
      const line = `sanity ${c.factor}×: wirelens conns --json exited ${r.status} without JSON: ${(r.stderr ?? '').trim().split('\n').slice(-1)[0]}`;
      log(line);
      notes.push(line);
    }
  }

  const measurements: Measurement[] = [];
  for (const c of captures) {
    const rows = commands.map((spec): Measurement => {
      const [cmd, args] = spec.argv(c.file);
      return {
        factor: c.factor,
        command: spec.label,
        id: spec.id,
        issue: spec.issue,
        tool: spec.tool,
        argv: [cmd === process.execPath ? 'node' : cmd, ...args].map((a) => (a.startsWith(repoRoot) ? relative(repoRoot, a) : a)),
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
      for (let i = 0; i < commands.length; i++) {
        const m = rows[i];
        if (m.error) continue;
        const [cmd, args] = commands[i].argv(c.file);
        const r = await runOnce(cmd, args, useGnuTime);
        if (r.code !== 0) {
          m.error = `exit ${r.code}: ${r.stderrTail.split('\n').slice(-1)[0] ?? ''}`;
          log(`${c.factor}× ${m.command}: run ${run} FAILED (${m.error})`);
          continue;
        }
        m.seconds.push(r.seconds);
        if (r.rssMiB !== null) m.rssMiB.push(r.rssMiB);
        log(`${c.factor}× ${m.command}: run ${run}/${runs} ${r.seconds.toFixed(2)} s, ${fmt(r.rssMiB, 1)} MiB`);
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

  // Table.
  const out: string[] = [];
  const mb = (c: Capture) => `${(c.stats.bytes / 1e6).toFixed(0)} MB, ${c.stats.frames} frames, ${c.stats.connections} conns, ${c.stats.exchanges} exchanges`;
  out.push('');
  for (const c of captures) out.push(`${c.factor}×: ${relative(repoRoot, c.file)} (${mb(c)})`);
  out.push(`${runs} run(s) per command; node ${process.version}; ${haveTshark ? tsharkVersion.stdout.split('\n')[0] : 'no tshark'}; RSS via ${useGnuTime ? 'GNU time' : '/proc polling'}`);
  out.push('');
  const header = ['size', 'command', 'median s', 'min–max s', 'peak RSS MiB'];
  const table = measurements.map((m) => [
    `${m.factor}×`,
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
  for (const m of measurements) if (m.error) out.push(`  ${m.factor}× ${m.command}: ${m.error}`);
  for (const n of notes) out.push(n);

  // Targets.
  const find = (factor: number, id: string) => measurements.find((m) => m.factor === factor && m.id === id);
  const comparisons: Array<Record<string, unknown>> = [];
  out.push('');
  out.push(`targets: ≥ ${TARGET_SPEEDUP}× faster than tshark; wirelens peak RSS < ${TARGET_RSS_MIB} MiB; RSS at 2× ≤ ${Math.round((TARGET_FLAT - 1) * 100)}% above 1× (flat)`);
  let allMet = true;
  for (const [issue, wid, tid] of [
    ['A', 'wirelens-conns', 'tshark-conv'],
    ['B', 'wirelens-report', 'tshark-http'],
  ] as const) {
    const w1 = find(1, wid);
    const w2 = find(2, wid);
    if (!w1 || !w2) {
      out.push(`issue ${issue}: ${wid.replace('-', ' ')} not measured`);
      comparisons.push({ issue, command: wid, measured: false });
      allMet = false;
      continue;
    }
    const speedups = [1, 2].map((f) => {
      const w = find(f, wid)?.medianSeconds ?? null;
      const t = find(f, tid)?.medianSeconds ?? null;
      return w !== null && t !== null && w > 0 ? t / w : null;
    });
    const speedOk = speedups.every((s) => s !== null) ? speedups.every((s) => s! >= TARGET_SPEEDUP) : null;
    const rss = [w1.peakRssMiB, w2.peakRssMiB];
    const rssOk = rss.every((r) => r !== null) ? rss.every((r) => r! < TARGET_RSS_MIB) : null;
    const growth = rss[0] !== null && rss[1] !== null ? rss[1] / rss[0] : null;
    const flatOk = growth === null ? null : growth <= TARGET_FLAT;
    for (const ok of [speedOk, rssOk, flatOk]) if (ok !== true) allMet = false;
    out.push(
      `issue ${issue} (${w1.command} vs ${find(1, tid)?.command ?? 'tshark'}): speed-up 1× ${speedups[0] === null ? '—' : speedups[0].toFixed(1) + '×'}, 2× ${speedups[1] === null ? '—' : speedups[1].toFixed(1) + '×'} → ${verdict(speedOk)}`,
    );
    out.push(`  wirelens peak RSS 1× ${fmt(rss[0], 1)} MiB, 2× ${fmt(rss[1], 1)} MiB → < ${TARGET_RSS_MIB} MiB ${verdict(rssOk)}; 2×/1× ${growth === null ? '—' : ((growth - 1) * 100).toFixed(1) + '%'} → flat ${verdict(flatOk)}`);
    comparisons.push({
      issue,
      wirelens: wid,
      tshark: tid,
      speedup1x: speedups[0],
      speedup2x: speedups[1],
      speedupTargetMet: speedOk,
      rss1xMiB: rss[0],
      rss2xMiB: rss[1],
      rssTargetMet: rssOk,
      rssGrowth: growth,
      flatTargetMet: flatOk,
    });
  }
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
        rssSource: useGnuTime ? 'gnu-time' : 'proc-vmhwm-poll',
        targets: { speedup: TARGET_SPEEDUP, rssMiB: TARGET_RSS_MIB, flatGrowth: TARGET_FLAT },
        captures: captures.map((c) => ({ ...c.stats, factor: c.factor, file: relative(repoRoot, c.file), reused: c.reused })),
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

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 1;
  },
);

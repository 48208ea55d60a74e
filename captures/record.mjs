#!/usr/bin/env node
// Re-records the scenario captures under captures/ and checks each one with tshark.
//
//   sudo npm run captures:record                # all scenarios + variants + rule scenarios + tour.pcapng
//   sudo npm run captures:record -- 06 19       # only scenarios whose name starts with 06 / 19
//   sudo node captures/record.mjs --iface any 06 # record on another interface (file name unchanged)
//   sudo node captures/record.mjs --tour        # only rebuild tour.pcapng from existing captures
//   node captures/record.mjs --check-only       # re-run the tshark checks on the existing files
//   node captures/verified.mjs                  # regenerate VERIFIED.md (done after every full run)
//
// Needs tcpdump (root or CAP_NET_RAW), editcap, mergecap, capinfos and tshark.
// Re-recording is deliberate: it is not part of `npm test` (timestamps, ports and
// ACK timing differ on every run, so the expected-results files must be reviewed).
// After recording: `npm run captures:lo0` (02/06/08/19 lo0 variants) and `node captures/expected.mjs`
// (then review the diffs of the *.expected.json files); the end of a run prints this reminder.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULE_SCENARIOS, SCENARIOS, TOUR, VARIANTS } from './catalog.mjs';
import { checks } from './checks.mjs';
import { writeVerified } from './verified.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const SCENARIO_DIR = join(HERE, 'scenarios');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function fail(message) {
  console.error(`record: ${message}`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

function requireTools() {
  for (const tool of ['tcpdump', 'editcap', 'mergecap', 'capinfos', 'tshark']) {
    const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (r.error) {
      fail(`${tool} is not installed (Debian/Ubuntu: apt-get install -y tcpdump tshark).`);
    }
  }
}

// Starts tcpdump and resolves once it prints "listening on <iface>" (it is then capturing).
function startTcpdump({ iface, port, nano, snaplen }, pcapPath) {
  const args = ['-i', iface, '-U', '--immediate-mode', '-s', String(snaplen ?? 0), '-n'];
  if (nano) args.push('--time-stamp-precision=nano');
  args.push('-w', pcapPath, `tcp port ${port}`);
  const child = spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start listening: ${stderr.trim()}`)), 5000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (/listening on /.test(stderr)) {
        clearTimeout(timer);
        resolve({ child, stderr: () => stderr });
      }
    });
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code) => {
      clearTimeout(timer);
      const text = stderr.trim();
      if (/permission|not permitted|privilege/i.test(text)) {
        const err = new Error(
          `tcpdump cannot capture on "${iface}": ${text.split('\n').join(' ')}\n` +
            'Recording needs root or CAP_NET_RAW: run `sudo npm run captures:record`.',
        );
        err.clean = true;
        return reject(err);
      }
      reject(new Error(`tcpdump exited ${code} before listening: ${text}`));
    });
  });
}

function stopTcpdump({ child }) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', () => resolve());
    process.kill(child.pid, 'SIGINT'); // by PID: tcpdump flushes and closes the file
  });
}

function runScenario(script) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(SCENARIO_DIR, `${script}.mjs`)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script} did not finish within 20 s`)); }, 20000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out.trim());
      else reject(new Error(`${script} exited ${code}:\n${out}`));
    });
  });
}

async function record(spec, opts, workDir) {
  const iface = opts.iface ?? spec.iface ?? 'lo';
  const tmpPcap = join(workDir, `${spec.name}.pcap`);
  const out = join(HERE, spec.file);
  const capture = { iface, port: spec.port, nano: spec.nano, snaplen: spec.snaplen };
  let tcpdump = spec.startMs === undefined ? await startTcpdump(capture, tmpPcap) : null;
  let output;
  try {
    const running = runScenario(spec.script);
    running.catch(() => {}); // observed below; not an unhandled rejection while waiting
    if (spec.startMs !== undefined) {
      // The capture starts while the program already runs (tcpdump started on a busy host): its
      // connections are picked up mid-stream, without their handshake.
      await sleep(spec.startMs);
      tcpdump = await startTcpdump(capture, tmpPcap);
    }
    if (spec.captureMs !== undefined) {
      // The capture stops while the program still runs (what an operator's Ctrl-C does mid-request).
      await sleep(spec.captureMs);
      await stopTcpdump(tcpdump);
    }
    output = await running;
    await sleep(300); // let the last ACKs reach the capture
  } finally {
    if (tcpdump !== null) await stopTcpdump(tcpdump);
  }
  if (spec.drop !== undefined) {
    const full = join(workDir, `${spec.name}.full.pcapng`);
    run('editcap', ['-F', 'pcapng', tmpPcap, full]);
    // Capture loss on demand: delete the frames that carried the chosen messages.
    run('editcap', ['-F', spec.format ?? 'pcapng', full, out, ...messageFrames(full, spec.port, spec.drop).map(String)]);
  } else {
    run('editcap', ['-F', spec.format ?? 'pcapng', tmpPcap, out]);
  }
  return output;
}

/** Frame numbers of the n-th (1-based) requests and responses, in capture order, as tshark's HTTP dissector finds them. */
function messageFrames(file, port, { requests = [], responses = [] }) {
  const rows = run('tshark', ['-r', file, '-n', '-d', `tcp.port==${port},http`, '-Y', 'http.request || http.response', '-T', 'fields', '-e', 'frame.number', '-e', 'http.request'])
    .split('\n').filter(Boolean).map((l) => l.split('\t'));
  const req = rows.filter(([, isRequest]) => isRequest === '1').map(([no]) => Number(no));
  const res = rows.filter(([, isRequest]) => isRequest !== '1').map(([no]) => Number(no));
  const pick = (list, ns, what) => ns.map((n) => list[n - 1] ?? fail(`no ${what} ${n} to drop`));
  return [...pick(req, requests, 'request'), ...pick(res, responses, 'response')].sort((a, b) => a - b);
}

function buildTour() {
  const inputs = TOUR.map((name) => join(HERE, `${name}.pcapng`));
  const missing = inputs.filter((f) => !existsSync(f));
  if (missing.length) {
    console.log(`tour.pcapng not rebuilt: missing ${missing.join(', ')}`);
    return false;
  }
  run('mergecap', ['-F', 'pcapng', '-w', join(HERE, 'tour.pcapng'), ...inputs]);
  return true;
}

function checkFile(spec) {
  const check = checks[spec.name] ?? checks[spec.script];
  if (!check) return { ok: false, lines: [`no check defined for ${spec.name}`] };
  try {
    return check(join(HERE, spec.file), spec);
  } catch (err) {
    return { ok: false, lines: [`check failed to run: ${err.message}`] };
  }
}

function report(spec, result) {
  const mark = result.ok ? 'ok  ' : 'FAIL';
  console.log(`${mark} ${spec.file}`);
  for (const line of result.lines) console.log(`       ${line}`);
}

async function main() {
  const argv = process.argv.slice(2);
  const opts = { iface: undefined, tourOnly: false, checkOnly: false, noTour: false };
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--iface') opts.iface = argv[++i];
    else if (a.startsWith('--iface=')) opts.iface = a.slice('--iface='.length);
    else if (a === '--tour') opts.tourOnly = true;
    else if (a === '--no-tour') opts.noTour = true;
    else if (a === '--check-only') opts.checkOnly = true;
    else if (a === '--verified') opts.verified = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node captures/record.mjs [--iface IF] [--check-only] [--tour] [--no-tour] [--verified] [name-prefix…]');
      return;
    } else names.push(a);
  }
  const all = [...SCENARIOS, ...VARIANTS, ...RULE_SCENARIOS];
  const selected = names.length ? all.filter((s) => names.some((n) => s.name.startsWith(n))) : all;
  if (names.length && !selected.length) fail(`no scenario matches ${names.join(', ')}`);

  requireTools();
  if (opts.tourOnly) {
    if (buildTour()) {
      report({ file: 'tour.pcapng' }, checks.tour(join(HERE, 'tour.pcapng'), TOUR));
      remindDerivedFiles([]);
    }
    return;
  }

  let failures = 0;
  if (!opts.checkOnly) {
    if (process.getuid?.() !== 0) console.log('note: not root; tcpdump needs CAP_NET_RAW to capture');
    const workDir = mkdtempSync(join(tmpdir(), 'wirelens-record-'));
    chmodSync(workDir, 0o777); // tcpdump drops privileges to user "tcpdump" before writing
    try {
      for (const spec of selected) {
        const output = await record(spec, opts, workDir);
        console.log(`rec  ${spec.file}  — ${output.split('\n').join(' | ')}`);
        const result = checkFile(spec);
        report(spec, result);
        if (!result.ok) failures++;
      }
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  } else {
    for (const spec of selected) {
      const result = existsSync(join(HERE, spec.file)) ? checkFile(spec) : { ok: false, lines: ['file missing'] };
      report(spec, result);
      if (!result.ok) failures++;
    }
  }

  const touchedTour = selected.some((s) => TOUR.includes(s.name));
  if (!opts.noTour && (touchedTour || !names.length)) {
    if (!opts.checkOnly) buildTour();
    const tour = join(HERE, 'tour.pcapng');
    if (existsSync(tour)) {
      const result = checks.tour(tour, TOUR);
      report({ file: 'tour.pcapng' }, result);
      if (!result.ok) failures++;
    }
  }
  if (failures) fail(`${failures} capture(s) do not show the intended behaviour`);
  if (!opts.checkOnly || !names.length || opts.verified) console.log(`wrote ${writeVerified()}`);
  if (!opts.checkOnly) remindDerivedFiles(selected);
}

// The files derived from the recordings are not rewritten here: say which ones are now stale.
function remindDerivedFiles(selected) {
  const lo0 = selected.filter((s) => existsSync(join(HERE, `${s.name}.lo0.pcapng`))).map((s) => s.name);
  console.log('\nNext (the recordings changed, the files derived from them did not):');
  if (lo0.length) console.log(`  npm run captures:lo0            # rewrite the lo0 variants of ${lo0.join(', ')} (builds wirelens first)`);
  console.log('  node captures/expected.mjs      # regenerate <capture>.expected.json with tshark,');
  console.log('                                  # then review every diff against the new VERIFIED.md');
}

main().catch((err) => fail(err.clean ? err.message : (err.stack ?? String(err))));

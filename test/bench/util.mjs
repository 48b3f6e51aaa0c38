/**
 * Helpers of the benchmark: child processes with a deadline (the whole process group is killed on timeout or
 * Ctrl-C), statistics, formatting, and a summary of a V8 .cpuprofile.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const running = new Set();

/** Kills every child process group still running (on Ctrl-C / fatal error). */
export const killAllChildren = () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  running.clear();
};

/**
 * Runs a command in its own process group, with a deadline. Resolves (never rejects) with
 * { code, signal, timedOut, ms, stdout, stderr, error }; stdout/stderr keep their last `keep` characters,
 * or stdout goes to `stdoutFile`. `onLine` sees each stdout line.
 */
export const runChild = (cmd, args, { cwd, env, timeoutMs, stdoutFile, onLine, keep = 64 * 1024 } = {}) =>
  new Promise((resolve) => {
    const started = performance.now();
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let child;
    try {
      child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ code: null, signal: null, timedOut, ms: 0, stdout, stderr, error });
      return;
    }
    running.add(child.pid);
    const out = stdoutFile ? createWriteStream(stdoutFile) : null;
    let partial = '';
    child.stdout.on('data', (d) => {
      if (out) out.write(d);
      else stdout = (stdout + d).slice(-keep);
      if (onLine) {
        const lines = (partial + d).split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) onLine(l);
      }
    });
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-keep)));
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }, timeoutMs)
      : null;
    let spawnError = null;
    child.on('error', (e) => (spawnError = e));
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      if (timer) clearTimeout(timer);
      running.delete(child.pid);
      const done = () => resolve({ code, signal, timedOut, ms, stdout, stderr, error: spawnError });
      if (out) out.end(done);
      else done();
    });
  });

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const min = (xs) => (xs.length ? Math.min(...xs) : NaN);
export const max = (xs) => (xs.length ? Math.max(...xs) : NaN);

export const secs = (ms, digits = 2) => (Number.isFinite(ms) ? (ms / 1000).toFixed(digits) : 'n/a');

export const tail = (text, lines = 8) => text.trim().split('\n').slice(-lines).join('\n');

export const log = (...parts) => process.stderr.write(`[bench] ${parts.join(' ')}\n`);

/**
 * Summarises a V8 .cpuprofile: self time by group (keikaku stage under dist/, npm package, node internals, idle,
 * GC) and the top functions by self time.
 */
export const summariseProfile = (file, top = 15) => {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = prof.timeDeltas[i + 1] ?? 0; // time until the next sample is spent where this sample is
    self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + dt);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const groupOf = (cf) => {
    const url = cf.url ?? '';
    if (!url) return cf.functionName.startsWith('(') ? cf.functionName : '(native)';
    let m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) return `npm ${m[1]}`;
    m = url.match(/\/dist\/([^/]+)\//);
    if (m) return `keikaku ${m[1]}/`;
    if (url.startsWith('node:')) return 'node internals';
    return url.replace(/^file:\/\//, '');
  };
  const groups = new Map();
  const fns = new Map();
  for (const [id, us] of self) {
    const cf = nodes.get(id).callFrame;
    const g = groupOf(cf);
    groups.set(g, (groups.get(g) ?? 0) + us);
    const url = cf.url ?? '';
    const where = url.includes('/node_modules/')
      ? url.slice(url.lastIndexOf('/node_modules/') + 1)
      : url.replace(/^.*\/dist\//, 'dist/').replace(/^file:\/\//, '');
    const key = `${cf.functionName || '(anonymous)'} ${where ? `${where}:${cf.lineNumber + 1}` : ''}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ name: k, ms: us / 1000, pct: (100 * us) / total }));
  return { totalMs: total / 1000, groups: rank(groups), functions: rank(fns) };
};

const RSS_HOOK = join(dirname(fileURLToPath(import.meta.url)), 'maxrss-hook.mjs');

/**
 * `node [nodeArgs] SCRIPT args…` with the peak-RSS hook (maxrss-hook.mjs): runChild's result plus `rssMiB`
 * (NaN when the process was killed). Throws, naming `label`, on a timeout or an exit code other than `expectCode`;
 * the error's `run` is runChild's result and `rssMiB` of the failed run.
 */
export const runMeasured = async (label, script, args, { cwd, env = {}, timeoutMs, nodeArgs = [], expectCode = 0 } = {}) => {
  const rssFile = join(os.tmpdir(), `kkbench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const r = await runChild(process.execPath, [...nodeArgs, '--import', pathToFileURL(RSS_HOOK).href, script, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env, KKBENCH_RSS_FILE: rssFile },
    timeoutMs,
  });
  let rssMiB = NaN;
  try {
    rssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
    unlinkSync(rssFile);
  } catch {
    /* no RSS when the process was killed */
  }
  if (r.timedOut || r.code !== expectCode) {
    const error = new Error(`${label} ${args.join(' ')}: ${r.timedOut ? `timed out after ${secs(r.ms, 0)} s` : r.signal ? `killed by ${r.signal}` : `exit ${r.code}`}\n${tail(r.stdout + r.stderr, 20)}`);
    error.run = { ...r, rssMiB }; // what the failed run cost, for a report that shows the failure
    throw error;
  }
  return { ...r, rssMiB };
};

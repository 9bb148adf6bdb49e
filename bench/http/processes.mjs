// What the HTTP benchmark's scripts (run.mjs, warmup.mjs) share: starting the sink and the app,
// stopping them, the app's environment, and CPU time read from /proc.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '..', '..');

/** Spawns a node process and resolves with it and the first stdout line starting with `ready`. */
export function start(args, env, cwd = ROOT) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`not ready in 20 s: ${args.join(' ')}\n${err}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('ready '));
      if (line) { clearTimeout(timer); resolve({ child, ports: line.split(' ').slice(1).map(Number), stderr: () => err, stdout: () => out }); }
    });
    child.stderr.on('data', (d) => { err += d; if (err.length > 20000) err = err.slice(-10000); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${args.join(' ')}\n${err}`)); });
  });
}

/** SIGTERM, SIGKILL after 10 s; resolves once the process is gone. */
export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.removeAllListeners('exit');
    child.on('exit', () => { clearTimeout(t); resolve(); });
    child.kill('SIGTERM');
  });
}

/**
 * The app's stall report (app.cjs `watchStalls`) since the previous call, which starts a new one:
 * SIGUSR2, then its `loop {json}` line. Null when none comes within 2 s.
 */
export async function loopStats(app) {
  const seen = app.stdout().length;
  app.child.kill('SIGUSR2');
  for (let waited = 0; waited < 2000; waited += 20) {
    await new Promise((r) => setTimeout(r, 20));
    const line = app.stdout().slice(seen).split('\n').find((l) => l.startsWith('loop '));
    if (line) return JSON.parse(line.slice(5));
  }
  return null;
}

/** The benchmarked app's environment: export to the sink, call the fake vendor by its real name. */
export function appEnv(sinkPort, vendorPort, extra = {}) {
  return {
    PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production',
    OTEL_SERVICE_NAME: 'bench-app',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
    SST_FINGERPRINT_KEY: 'bench-key-bench-key-bench-key-0123456789',
    SST_QUIET: 'true',
    BENCH_VENDOR_URL: `http://graph.facebook.com:${vendorPort}/v21.0/1234567890/events`,
    // where app.cjs keeps its SQLite file (default: /dev/shm, in memory, where there is one)
    ...(process.env.BENCH_DB_DIR ? { BENCH_DB_DIR: process.env.BENCH_DB_DIR } : {}),
    ...extra,
  };
}

/** The app process with the preloads of one configuration (`vendor-dns.cjs` always first). */
export function startApp(preloadArgs, env, nodeArgs = []) {
  return start([...nodeArgs, '--require', join(HERE, 'vendor-dns.cjs'), ...preloadArgs, join(HERE, 'app.cjs')], env);
}

/** USER_HZ: 100 on every Linux configuration Node supports. */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) in a /proc stat file. */
function statCpu(path) {
  const f = readFileSync(path, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** CPU seconds a process has used, all threads, and its main thread alone (the app's event loop;
 *  the analysis thread, GC and libuv threads are the rest). NaN once it is gone. */
export function cpuSeconds(pid) {
  try {
    return { all: statCpu(`/proc/${pid}/stat`), main: statCpu(`/proc/${pid}/task/${pid}/stat`) };
  } catch {
    return { all: NaN, main: NaN };
  }
}

/** The machine's CPU time from /proc/stat's first line, in ticks: all of it, and what the hypervisor
 *  took for other guests (steal). Null where there is no /proc/stat. */
export function machineTicks() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user/nice]
    const total = f.slice(0, 8).reduce((a, b) => a + (b || 0), 0);
    return { total, steal: f[7] || 0 };
  } catch {
    return null;
  }
}

/** CPU seconds per thread id of a process. */
export function threadCpuSeconds(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try { out.set(tid, statCpu(`/proc/${pid}/task/${tid}/stat`)); } catch { /* the thread ended */ }
  }
  return out;
}

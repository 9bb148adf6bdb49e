// Runs one e2e app the way a user runs an instrumented service:
//   node --require <dns preload> [--import @sst/otel-auto | --require @sst/otel-auto] <app>
// from a scratch directory whose node_modules/@sst/otel-auto links to the project, with fakes for
// every vendor and an OTLP receiver of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { makeCerts } from './certs';
import { FakeVendors } from './fakes';
import { FINGERPRINT_KEY, FIRST_PARTY_HOSTS, VENDOR_HOSTS } from './hosts';
import * as client from './http-client';
import type { LeakSource } from './leak-check';
import { OtlpReceiver, type FlatSpan } from './otlp-receiver';
import { APPS_DIR, DNS_PRELOAD, projectRoot } from './project';

export type LoadMode = 'import' | 'require' | 'none';

export interface RunAppOptions {
  /** A file in test/e2e/apps/ or an absolute path. */
  app: string;
  /** How the instrumentation is loaded: `--import`, `--require`, or not at all. */
  args: LoadMode;
  /** Extra variables for the app (win over the defaults). */
  env?: Record<string, string>;
  /** Written as JSON to <work>/sst.json and passed as SST_CONFIG. */
  config?: Record<string, unknown>;
  /** The app's working directory (default: the scratch directory). */
  cwd?: string;
  readyTimeoutMs?: number;
  /** Shared fakes / receiver; by default the run gets its own and closes them at stop(). */
  fakes?: FakeVendors;
  receiver?: OtlpReceiver;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** From the signal to the exit. */
  ms: number;
  /** Did not exit within the wait and was killed with SIGKILL. */
  hung: boolean;
}

export interface SpoolFile {
  path: string;
  text: string;
}

export interface RunningApp {
  mode: LoadMode;
  port: number;
  pid: number;
  workDir: string;
  spoolDir: string;
  fakes: FakeVendors;
  receiver: OtlpReceiver;
  /** Filled by stop(): files found under the spool dir and <work>/.sst before the work dir is removed. */
  spoolFiles: SpoolFile[];
  stdout(): string;
  stderr(): string;
  send(path: string, opts?: client.SendOptions): Promise<client.AppResponse>;
  sendChunked(path: string, opts: client.StreamOptions): Promise<client.AppResponse>;
  sendWithoutWaitingForBody(path: string, opts: client.SendOptions & { body: Buffer }): Promise<client.AppResponse>;
  sendAborted(path: string, opts: client.AbortOptions): Promise<{ gotResponseBytes: number }>;
  stop(signal?: NodeJS.Signals, waitMs?: number): Promise<ExitInfo>;
  spans(): FlatSpan[];
  /** Raw OTLP payloads and spool files, for the leak checker. */
  leakSources(): LeakSource[];
}

const READY_TIMEOUT_MS = 45_000;
const EXIT_WAIT_MS = 10_000;
const MAX_SPOOL_FILES = 200;
const MAX_SPOOL_DEPTH = 6;
const MAX_OUTPUT_CHARS = 2 * 1024 * 1024;

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ['PATH', 'LANG', 'TMPDIR']) {
    const v = process.env[k];
    if (v) env[k] = v;
  }
  return env;
}

function readTree(dir: string, out: SpoolFile[], depth = 0): void {
  if (depth > MAX_SPOOL_DEPTH || out.length >= MAX_SPOOL_FILES) return;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (out.length >= MAX_SPOOL_FILES) return;
    const p = join(dir, e.name);
    if (e.isDirectory()) readTree(p, out, depth + 1);
    else if (e.isFile()) {
      try {
        out.push({ path: p, text: readFileSync(p).toString('utf8') });
      } catch {
        // vanished between readdir and read
      }
    }
  }
}

function tail(text: string, lines = 25): string {
  return text.split('\n').slice(-lines).join('\n');
}

export async function runApp(opts: RunAppOptions): Promise<RunningApp> {
  const certs = makeCerts([...VENDOR_HOSTS, ...FIRST_PARTY_HOSTS]);
  const ownFakes = !opts.fakes;
  const ownReceiver = !opts.receiver;
  const fakes = opts.fakes ?? new FakeVendors(certs);
  const receiver = opts.receiver ?? new OtlpReceiver();
  if (ownFakes) await fakes.start();
  if (ownReceiver) await receiver.start();

  const workDir = mkdtempSync(join(tmpdir(), 'sst-e2e-app-'));
  const spoolDir = join(workDir, 'spool');
  mkdirSync(join(workDir, 'node_modules', '@sst'), { recursive: true });
  symlinkSync(projectRoot(), join(workDir, 'node_modules', '@sst', 'otel-auto'), 'dir');

  const env: Record<string, string> = {
    ...baseEnv(),
    HOME: workDir,
    TZ: 'UTC',
    NODE_ENV: 'production',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    // The exit flush waits for the analysis thread and the export. Run beside other test files on a
    // 2-core machine, the thread (10 nice steps below the app by default) can be seconds behind
    // when SIGTERM comes; these tests are about what is exported, so it runs at the app's priority
    // and the flush may take up to 8 s (the exit deadline checked is 10 s). The defaults and what
    // happens past the bound are the fault tests' subject.
    SST_ANALYSIS_NICE: '0',
    SST_FLUSH_TIMEOUT_MS: '8000',
    OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os,process',
    SST_FINGERPRINT_KEY: FINGERPRINT_KEY,
    SST_SPOOL_DIR: spoolDir,
    NODE_EXTRA_CA_CERTS: certs.caFile,
    SST_TEST_FAKE_ADDR: fakes.address,
  };
  if (opts.config) {
    const configPath = join(workDir, 'sst.json');
    writeFileSync(configPath, JSON.stringify(opts.config, null, 2));
    env.SST_CONFIG = configPath;
  }
  Object.assign(env, opts.env ?? {});

  const appPath = isAbsolute(opts.app) ? opts.app : join(APPS_DIR, opts.app);
  const loader = opts.args === 'import' ? ['--import', '@sst/otel-auto'] : opts.args === 'require' ? ['--require', '@sst/otel-auto'] : [];
  const child = spawn(process.execPath, ['--require', DNS_PRELOAD, ...loader, appPath], {
    cwd: opts.cwd ?? workDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);

  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (s: string) => { if (stdout.length < MAX_OUTPUT_CHARS) stdout += s; });
  child.stderr!.on('data', (s: string) => { if (stderr.length < MAX_OUTPUT_CHARS) stderr += s; });

  let exit: { code: number | null; signal: NodeJS.Signals | null; at: number } | undefined;
  const closed = new Promise<void>((resolve) => {
    child.on('close', (code, signal) => {
      exit ??= { code, signal, at: Date.now() };
      live.delete(child);
      resolve();
    });
    child.on('exit', (code, signal) => { exit ??= { code, signal, at: Date.now() }; });
  });

  const cleanup = async (): Promise<void> => {
    await receiver.settle();
    if (ownFakes) await fakes.stop();
    if (ownReceiver) await receiver.stop();
    if (!process.env.SST_E2E_KEEP) rmSync(workDir, { recursive: true, force: true });
  };

  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${opts.app} (${opts.args}): no READY line within ${opts.readyTimeoutMs ?? READY_TIMEOUT_MS} ms`)), opts.readyTimeoutMs ?? READY_TIMEOUT_MS);
      const onData = (): void => {
        const m = /^READY (\d+)\s*$/m.exec(stdout);
        if (!m) return;
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(Number(m[1]));
      };
      child.stdout!.on('data', onData);
      void closed.then(() => {
        clearTimeout(timer);
        reject(new Error(`${opts.app} (${opts.args}) exited before READY: code=${exit?.code} signal=${exit?.signal}\n${tail(stderr)}`));
      });
    });
  } catch (e) {
    if (!exit) child.kill('SIGKILL');
    await closed;
    await cleanup();
    throw e;
  }

  const spoolFiles: SpoolFile[] = [];
  let stopped: Promise<ExitInfo> | undefined;

  const stop = (signal: NodeJS.Signals = 'SIGTERM', waitMs = EXIT_WAIT_MS): Promise<ExitInfo> => {
    stopped ??= (async () => {
      const sentAt = Date.now();
      let hung = false;
      if (!exit) {
        child.kill(signal);
        const timedOut = await Promise.race([
          closed.then(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(true), waitMs).unref()),
        ]);
        if (timedOut) {
          hung = true;
          child.kill('SIGKILL');
          await closed;
        }
      }
      await closed;
      readTree(spoolDir, spoolFiles);
      readTree(join(workDir, '.sst'), spoolFiles);
      if (opts.cwd) readTree(join(opts.cwd, '.sst'), spoolFiles);
      await cleanup();
      return {
        code: hung ? null : exit!.code,
        signal: hung ? 'SIGKILL' : exit!.signal,
        stdout,
        stderr,
        ms: Math.max(0, (exit?.at ?? Date.now()) - sentAt),
        hung,
      };
    })();
    return stopped;
  };

  return {
    mode: opts.args,
    port,
    pid: child.pid ?? -1,
    workDir,
    spoolDir,
    fakes,
    receiver,
    spoolFiles,
    stdout: () => stdout,
    stderr: () => stderr,
    send: (path, o) => client.send(port, path, o),
    sendChunked: (path, o) => client.sendChunked(port, path, o),
    sendWithoutWaitingForBody: (path, o) => client.sendWithoutWaitingForBody(port, path, o),
    sendAborted: (path, o) => client.sendAborted(port, path, o),
    stop,
    spans: () => receiver.spans(),
    leakSources: () => [
      ...receiver.payloads.map((p, i) => ({ name: `otlp#${i + 1}${p.path}`, text: p.text })),
      ...spoolFiles.map((f) => ({ name: `spool:${f.path.slice(workDir.length + 1)}`, text: f.text })),
    ],
  };
}

// `npm run bench:faults`: runs the fault matrix (fault-scenarios.ts) once and prints the figures
// docs/reliability.md reports; writes bench/results/faults-<date>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { MATRIX, runFault, type FaultResult } from './fault-scenarios';
import { projectRoot } from '../e2e/harness/project';

async function main(): Promise<void> {
  const results: FaultResult[] = [];
  for (const o of MATRIX) {
    const r = await runFault(o);
    results.push(r);
    const ended = r.exit.hung ? 'HUNG' : r.exit.signal ? `signal ${r.exit.signal}` : `code ${r.exit.code}`;
    process.stdout.write(`${r.name}\n  requests ${r.requests} (failed ${r.failedRequests}), latency p50 ${r.latencyMs.p50} ms p99 ${r.latencyMs.p99} ms max ${r.latencyMs.max} ms; RSS ${r.rssMB.start} → ${r.rssMB.end} MB; exit ${r.exit.ms} ms after the signal, ${ended}; spans at the collector ${r.sinkSpans}, in the spool ${r.spoolSpans}\n`);
    for (const l of r.diagLines) process.stdout.write(`  | ${l}\n`);
    if (r.traceLines.length) process.stdout.write(`  STACK TRACE LINES: ${r.traceLines.length}\n`);
  }
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace('T', '-').slice(0, 19);
  const file = join(dir, `faults-${stamp}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, results }, null, 1) + '\n');
  process.stdout.write(`wrote ${file}\n`);
}

main().catch((e) => { process.stderr.write(`${(e as Error).stack ?? e}\n`); process.exitCode = 1; });

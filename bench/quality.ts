// npm run bench:quality — detection quality of the real matcher over test/corpus/cases.jsonl:
// precision / recall / F1 overall, per category, per label transform and per vendor kind, every
// false negative and false positive with its reason, and the two baselines; writes
// bench/results/quality.json.
//   node dist/bench/quality.js [--corpus test/corpus/cases.jsonl] [--out bench/results/quality.json]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readCorpus } from '../test/corpus/case-format';
import { runCorpus, type Scores, type SystemResult } from './quality-run';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return resolve(i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback);
}

const pct = (x: number): string => x.toFixed(3);

function table(title: string, rows: Record<string, Scores>, recallOnly = false): string {
  const names = Object.keys(rows);
  const w = Math.max(12, ...names.map((n) => n.length));
  const head = recallOnly ? `${'  '}${title.padEnd(w)}     TP    FN  recall` : `${'  '}${title.padEnd(w)}     TP    FP    FN  precision  recall     F1`;
  const lines = [head];
  for (const n of names) {
    const s = rows[n];
    lines.push(recallOnly
      ? `  ${n.padEnd(w)} ${String(s.tp).padStart(6)} ${String(s.fn).padStart(5)}   ${pct(s.recall)}`
      : `  ${n.padEnd(w)} ${String(s.tp).padStart(6)} ${String(s.fp).padStart(5)} ${String(s.fn).padStart(5)}      ${pct(s.precision)}   ${pct(s.recall)}  ${pct(s.f1)}`);
  }
  return lines.join('\n');
}

function overallLine(name: string, s: Scores): string {
  return `  ${name.padEnd(26)} ${String(s.tp).padStart(5)} ${String(s.fp).padStart(5)} ${String(s.fn).padStart(5)}      ${pct(s.precision)}   ${pct(s.recall)}  ${pct(s.f1)}`;
}

function misses(title: string, r: SystemResult): string {
  const list = title === 'FALSE NEGATIVES' ? r.falseNegatives : r.falsePositives;
  const lines = [`${title} (${list.length})`];
  for (const m of list) lines.push(`  ${m.id}  ${m.category}${m.transform ? ` [${m.transform}]` : ''}  ${m.reason}`);
  return lines.join('\n');
}

function main(): void {
  const corpusPath = arg('--corpus', 'test/corpus/cases.jsonl');
  const out = arg('--out', 'bench/results/quality.json');
  const cases = readCorpus(corpusPath);
  const res = runCorpus(cases);
  const c = res.corpus;
  const print = (s = ''): void => { process.stdout.write(`${s}\n`); };

  print(`corpus: ${c.cases} cases (${c.positives} positive, ${c.negatives} negative = ${(100 * c.negatives / c.cases).toFixed(1)}%), ${c.labeledShares} labeled shares`);
  print(`  by vendor kind: ${Object.entries(c.byVendorKind).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  print(`  by source: ${Object.entries(c.bySource).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  print();
  print('OVERALL (per case × category)     TP    FP    FN  precision  recall     F1');
  print(overallLine('sst matcher', res.engine.overall));
  print(overallLine('baseline: exact string', res.baselines.exactString.overall));
  print(overallLine('baseline: regex scanner', res.baselines.regexScanner.overall));
  print();
  print(table('category', res.engine.perCategory));
  print();
  print(table('vendor kind', res.engine.perVendorKind));
  print();
  print(table('transform (label)', res.engine.perTransform, true));
  print();
  print('baselines per category (F1: exact string / regex scanner)');
  const cats = new Set([...Object.keys(res.engine.perCategory), ...Object.keys(res.baselines.exactString.perCategory), ...Object.keys(res.baselines.regexScanner.perCategory)]);
  for (const cat of [...cats].sort()) {
    const e = res.baselines.exactString.perCategory[cat];
    const r = res.baselines.regexScanner.perCategory[cat];
    print(`  ${cat.padEnd(12)} ${e ? pct(e.f1) : '  -  '} / ${r ? pct(r.f1) : '  -  '}`);
  }
  print();
  print(misses('FALSE NEGATIVES', res.engine));
  print();
  print(misses('FALSE POSITIVES', res.engine));
  if (res.errors.length) {
    print();
    print(`pipeline errors (${res.errors.length}):`);
    for (const e of res.errors.slice(0, 50)) print(`  ${e.id}  ${e.error}`);
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ corpusFile: corpusPath.replace(`${process.cwd()}/`, ''), ...res }, null, 2) + '\n');
  print();
  print(`wrote ${out}`);
}

main();

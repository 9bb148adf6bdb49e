// Summarizes a V8 .cpuprofile: self time by function and by area (our modules by folder, the
// OpenTelemetry packages, express, Node internals, GC/idle), as shares of all samples.
//   node bench/http/profile-summary.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function areaOf(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const dist = /\/dist\/(span-processor|instrumentation|export)\/([^/]+)/.exec(url);
  if (dist) return `sst ${dist[1]}/${dist[2].replace(/\.js$/, '')}`;
  const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (mod) return mod[1].startsWith('@opentelemetry/') ? `otel ${mod[1].slice(15)}` : mod[1];
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\//, '').split('/').slice(-2).join('/');
}

export function summarize(file, top = 30) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = prof.timeDeltas[i] ?? 0;
    self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + dt);
    total += dt;
  }
  const fns = new Map();
  const areas = new Map();
  for (const [id, t] of self) {
    const n = byId.get(id);
    const cf = n.callFrame;
    const name = cf.functionName || '(anonymous)';
    const where = cf.url ? `${cf.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${cf.lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    fns.set(key, (fns.get(key) ?? 0) + t);
    const area = areaOf(cf.url, name);
    areas.set(area, (areas.get(area) ?? 0) + t);
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url ? `${n.callFrame.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}` : ''}`;
  const inclusive = new Map();
  for (const [id, t] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = keyOf(byId.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + t);
    }
  }
  const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)} %`;
  const lines = [`total ${(total / 1e6).toFixed(1)} s sampled`, '', 'self time by area:'];
  for (const [a, t] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, 25)) lines.push(`  ${pct(t)}  ${a}`);
  lines.push('', 'self time by function:');
  for (const [f, t] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, top)) lines.push(`  ${pct(t)}  ${f}`);
  lines.push('', `inclusive time, functions of this package (${'dist/'}) and the exporter:`);
  const ours = [...inclusive].filter(([k]) => / dist\/|otlp-transformer|BatchSpanProcessor|OTLPExporterBase|onEnd/.test(k));
  for (const [f, t] of ours.sort((x, y) => y[1] - x[1]).slice(0, top)) lines.push(`  ${pct(t)}  ${f}`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(summarize(process.argv[2], Number(process.argv[3] || 30)));

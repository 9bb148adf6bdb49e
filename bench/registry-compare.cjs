// The fingerprint registry of two builds side by side at a long-running service's size (issue 8): a
// registry of N people (email, phone, name, city; default 100k), then the CPU time of registering
// 20k more and of digest lookups that hit (the SHA-256 of a registered email, as a CAPI event sends
// it) and that miss (digests of nobody). At this size the hash index is tens of MB, so most probes
// are cache misses: what its memory layout costs shows here, not in the micro benchmark's 10k.
// Every measurement runs in a fresh child process, the builds alternating and the order rotating
// every round (as match-compare.cjs), medians of 3 rounds.
//   node bench/registry-compare.cjs <base build dir> <new build dir> [subjects]
// (a build dir is a tsc output with span-processor/: dist/, or scripts/build-area.sh's /tmp/sst-build-x)
'use strict';
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROUNDS = 3;
const ADDED = 20000;
const LOOKUPS = 200000;
/** Passes over the lookups: a second of CPU each, so one time slice of another job weighs little. */
const PASSES = 5;

function person(i) {
  return {
    email: `First.Last${i}@Example.com`,
    phone: `+1 (415) ${200 + (Math.floor(i / 10000) % 800)}-${String(i % 10000).padStart(4, '0')}`,
    name: `Name${i.toString(36)}`,
    city: `Town ${(i % 5000).toString(36)}`,
  };
}

function child(dir, subjects) {
  const { createRegistry } = require(path.join(dir, 'span-processor', 'registry', 'registry'));
  const reg = createRegistry({ key: Buffer.from('bench-key-bench-key-bench-key-0123456789'), defaultPhoneRegion: 'US', ttlSeconds: 86400, maxBytes: 1024 * 1024 * 1024 });
  const add = (i) => {
    const p = person(i);
    const f = reg.register({ category: 'email', value: p.email });
    reg.register({ category: 'phone', value: p.phone, subject: f?.fp });
    reg.register({ category: 'name', value: p.name, subject: f?.fp });
    reg.register({ category: 'city', value: p.city, subject: f?.fp });
  };
  for (let i = 0; i < subjects; i++) add(i);
  const hits = Array.from({ length: LOOKUPS }, (_, k) => createHash('sha256').update(person((k * 7919) % subjects).email.toLowerCase()).digest());
  const misses = Array.from({ length: LOOKUPS }, (_, k) => createHash('sha256').update(`nobody${k}@example.org`).digest());
  const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
  let t = cpu();
  for (let i = subjects; i < subjects + ADDED; i++) add(i);
  const registerUs = (cpu() - t) / ADDED;
  let found = 0;
  t = cpu();
  for (let pass = 0; pass < PASSES; pass++) for (const d of hits) if (reg.lookupDigest(d)) found++;
  const hitUs = (cpu() - t) / (PASSES * LOOKUPS);
  t = cpu();
  for (let pass = 0; pass < PASSES; pass++) for (const d of misses) if (reg.lookupDigest(d)) found--;
  const missUs = (cpu() - t) / (PASSES * LOOKUPS);
  process.stdout.write(JSON.stringify({ registerUs, hitUs, missUs, found, keys: reg.stats().keys }) + '\n');
}

function measure(dir, subjects) {
  const out = spawnSync(process.execPath, [__filename, '--child', dir, String(subjects)], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`child for ${dir} failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop());
}

if (process.argv[2] === '--child') {
  child(process.argv[3], Number(process.argv[4]));
} else {
  const [baseDir, newDir] = [process.argv[2], process.argv[3]].map((d) => path.resolve(d || 'dist'));
  const subjects = Number(process.argv[4] || 100000);
  const runs = { base: [], new: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of r % 2 ? ['new', 'base'] : ['base', 'new']) runs[name].push(measure(name === 'base' ? baseDir : newDir, subjects));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const row = (name, key) => median(runs[name].map((m) => m[key]));
  const b0 = runs.base[0];
  const n0 = runs.new[0];
  if (b0.found !== n0.found || b0.keys !== n0.keys) console.log(`note: the builds differ in what they index or find (keys ${b0.keys} / ${n0.keys}, hits ${b0.found} / ${n0.found})`);
  console.log(`registry of ${subjects} people (${b0.keys} index keys), CPU µs, medians of ${ROUNDS} rounds, each in a fresh process:`);
  console.log('| | base | new | new/base |');
  console.log('|---|---:|---:|---:|');
  for (const [label, key] of [['register a person (4 values)', 'registerUs'], ['digest lookup, hit', 'hitUs'], ['digest lookup, miss', 'missUs']]) {
    const b = row('base', key);
    const n = row('new', key);
    console.log(`| ${label} | ${b.toFixed(3)} | ${n.toFixed(3)} | ${(n / b).toFixed(3)} |`);
  }
  console.log(`base: ${baseDir}\nnew:  ${newDir}`);
}

// scanText alone over ~64 KB of prose in four languages (English, German, French, Japanese), one
// build, CPU time: what the free-text walks cost beyond ASCII (issue 8, session 11). A registry of
// 10k people; the texts mention some of them. Run it once per build, alternating, to compare two.
//   node bench/scan-languages.cjs [build dir, default dist]
'use strict';
const path = require('node:path');
const dir = path.resolve(process.argv[2] || 'dist');
const { createRegistry } = require(path.join(dir, 'span-processor/registry/registry.js'));
const { scanText } = require(path.join(dir, 'span-processor/match/scan.js'));
const { newScanEnv } = require(path.join(dir, 'span-processor/match/leaves.js'));

const FIRST = Array.from({ length: 2000 }, (_, i) => `${['Jane', 'John', 'María', 'Wei', 'Aisha', 'Lukas', 'Chloé', 'Kenji'][i % 8]}${i < 8 ? '' : i.toString(36)}`);
const LAST = Array.from({ length: 5000 }, (_, i) => `${['Doe', 'Smith', 'García', 'Chen', 'Okafor', 'Müller', 'Dubois', 'Tanaka'][i % 8]}${i < 8 ? '' : i.toString(36)}`);
const r = createRegistry({ key: Buffer.from('bench-key-bench-key-bench-key-0123456789'), defaultPhoneRegion: 'US', ttlSeconds: 21600, maxBytes: Number.MAX_SAFE_INTEGER });
for (let i = 0; i < 10000; i++) {
  const f = FIRST[i % 2000];
  const l = LAST[(i * 7) % 5000];
  const e = `${f}.${l}${i}@example.com`;
  const s = r.fingerprint('email', e).fp;
  for (const [c, v] of [['email', e], ['name', f], ['name', l], ['city', 'München'], ['name', `${f} ${l}`]]) r.register({ category: c, value: v, subject: s });
}

function prose(words, bytes, seed, mention) {
  const out = [];
  let n = 0;
  let x = seed;
  while (n < bytes) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const w = words[x % words.length];
    out.push(w);
    n += w.length + 1;
    if (out.length % 400 === 200) { out.push(mention); n += mention.length + 1; }
  }
  return out.join(' ');
}
const EN = 'the customer asked about their order and wanted to know when the package would arrive because they are travelling next week please summarize'.split(' ');
const DE = 'der Kunde fragte nach seiner Bestellung und wollte wissen wann das Paket ankommt weil er nächste Woche verreist bitte fasse das Gespräch zusammen und schlage eine höfliche Antwort vor die die Verzögerung erklärt Grüße schön über'.split(' ');
const FR = 'le client a demandé où en était sa commande et voulait savoir quand le colis arrivera parce qu’il voyage la semaine prochaine résumez la conversation et proposez une réponse polie expliquant le délai'.split(' ');
function japanese() {
  const sentences = ['お客様は注文について問い合わせました。', '荷物がいつ届くか知りたいそうです。', '来週旅行に行くためです。', '会話を要約して丁寧な返信を提案してください。'];
  let s = '';
  for (let k = 0; s.length < 22000; k++) { s += sentences[k % 4]; if (k % 50 === 49) s += ' (Kenji Tanaka, kenji@example.jp) '; }
  return s;
}
const texts = {
  english: prose(EN, 64 * 1024, 7, '(customer Jane Doe, jane.doe@example.com)'),
  german: prose(DE, 64 * 1024, 7, '(Kunde Lukas Müller, lukas.muller@example.com, München)'),
  french: prose(FR, 64 * 1024, 7, '(client Chloé Dubois, chloe.dubois@example.com)'),
  japanese: japanese(),
};
for (const [name, t] of Object.entries(texts)) {
  const text = JSON.parse(JSON.stringify(t)); // a flat string, as JSON.parse gives the matcher
  let hits = 0;
  const sink = (_s, _e, h) => { hits += h.length; };
  const run = () => scanText(newScanEnv(r, { defaultPhoneRegion: 'US', maxTokens: 1e9 }), text, true, sink);
  for (let j = 0; j < 30; j++) run();
  const xs = [];
  for (let round = 0; round < 5; round++) {
    const c0 = process.cpuUsage();
    for (let j = 0; j < 30; j++) run();
    const d = process.cpuUsage(c0);
    xs.push((d.user + d.system) / 30);
  }
  xs.sort((a, b) => a - b);
  const bytes = Buffer.byteLength(text);
  console.log(`${name.padEnd(9)} ${String(text.length).padStart(6)} chars ${String(bytes).padStart(6)} bytes  ${xs[2].toFixed(0).padStart(5)} µs  ${(bytes / 2 ** 20 / xs[2] * 1e6).toFixed(1).padStart(6)} MB/s  ${hits / 180} hits per scan`);
}

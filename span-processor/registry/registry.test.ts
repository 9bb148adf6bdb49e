import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRegistry, type RegistryOptions } from './registry';
import { fingerprintId } from '../fingerprint/fingerprint';

const KEY = Buffer.from('test-key-test-key-test-key-0123');

function make(over: Partial<RegistryOptions> = {}) {
  return createRegistry({ key: KEY, defaultPhoneRegion: 'US', ttlSeconds: 3600, maxBytes: 64 * 1024 * 1024, ...over });
}

const digest = (alg: string, s: string) => createHash(alg).update(s, 'utf8').digest();

test('register returns the keyed fingerprint of the canonical form; invalid values are null', () => {
  const r = make();
  const res = r.register({ category: 'email', value: ' Person@Example.com ' });
  assert.deepEqual(res, { fp: fingerprintId(KEY, 'person@example.com'), canonical: 'person@example.com' });
  assert.equal(r.register({ category: 'phone', value: 'not a phone' }), null);
  assert.equal(r.register({ category: 'email', value: 42 as unknown as string }), null);
  assert.equal(r.register(null as unknown as { category: string; value: string }), null);
  assert.equal(r.lookupDigest(null as unknown as Uint8Array), undefined);
  assert.equal(r.stats().values, 1);
});

test('plain lookups find variants as-is and lowercased, with their transform', () => {
  const r = make();
  const { fp } = r.register({ category: 'email', value: ' Jane.Doe+news@Gmail.com ', subject: 'S1' })!;
  assert.deepEqual(r.lookupPlain('janedoe@gmail.com'), [{ fp, category: 'email', subject: 'S1', variant: 'normalized' }]);
  assert.equal(r.lookupPlain('Jane.Doe+news@Gmail.com')?.[0].variant, 'lowercase');
  assert.equal(r.lookupPlain(' Jane.Doe+news@Gmail.com ')?.[0].variant, 'plain');
  // The raw value lowercased is indexed as a lowercase form.
  assert.equal(r.lookupPlain(' jane.doe+news@gmail.com ')?.[0].variant, 'lowercase');
  assert.equal(r.lookupPlain('JANEDOE@GMAIL.COM'), undefined, 'callers pass the lowercase themselves');
  assert.equal(r.lookupPlain('someone@else.com'), undefined);
});

test('digest lookups cover sha256 / sha1 / md5 in hex (any case), base64 and base64url', () => {
  const r = make();
  const { fp } = r.register({ category: 'email', value: 'Jane.Doe+news@Gmail.com' })!;
  const sha = digest('sha256', 'janedoe@gmail.com');
  const hexUpper = sha.toString('hex').toUpperCase();
  const forms = [
    Buffer.from(sha.toString('hex'), 'hex'),
    Buffer.from(hexUpper, 'hex'),
    Buffer.from(sha.toString('base64'), 'base64'),
    Buffer.from(sha.toString('base64url'), 'base64url'),
    new Uint8Array(sha), // a plain Uint8Array, not a Buffer
  ];
  for (const bytes of forms) {
    assert.deepEqual(r.lookupDigest(bytes), [{ fp, category: 'email', variant: 'normalized', digest: 'sha256' }]);
  }
  assert.equal(r.lookupDigest(digest('sha1', 'jane.doe+news@gmail.com'))?.[0].digest, 'sha1');
  assert.equal(r.lookupDigest(digest('md5', 'jane.doe+news@gmail.com'))?.[0].digest, 'md5');
  assert.equal(r.lookupDigest(digest('sha256', 'other@gmail.com')), undefined);
  assert.equal(r.lookupDigest(new Uint8Array(7)), undefined);
});

test('a phone is found by the md5 of its raw input (FTC example)', () => {
  const r = make();
  const { fp } = r.register({ category: 'phone', value: '123-456-7890' })!;
  const hit = r.lookupDigest(Buffer.from('2813448ce6316cb70b38fa29c8c64130', 'hex'));
  assert.deepEqual(hit, [{ fp, category: 'phone', variant: 'plain', digest: 'md5' }]);
});

test('low-value guards: short and substring variants only by digest', () => {
  const r = make();
  const g = r.register({ category: 'gender', value: 'Male' })!;
  assert.equal(r.lookupPlain('m'), undefined);
  assert.deepEqual(r.lookupDigest(digest('sha256', 'm')), [{ fp: g.fp, category: 'gender', variant: 'normalized', digest: 'sha256' }]);
  assert.equal(r.lookupPlain('male')?.[0].variant, 'lowercase');
  const n = r.register({ category: 'name', value: 'Mary-Jane' })!;
  assert.equal(r.lookupPlain('maryj'), undefined);
  assert.equal(r.lookupPlain('mary'), undefined);
  assert.equal(r.lookupDigest(digest('sha256', 'maryj'))?.[0].fp, n.fp);
  assert.equal(r.lookupDigest(digest('sha256', 'maryj'))?.[0].variant, 'substring');
  const d = r.register({ category: 'birthdate', value: '1990-01-15' })!;
  assert.equal(r.lookupPlain('1990'), undefined);
  assert.equal(r.lookupDigest(digest('sha256', '1990'))?.[0].fp, d.fp);
});

test('hits of different values under one key are all kept, bounded', () => {
  const r = make();
  const a = r.register({ category: 'gender', value: 'female' })!;
  const b = r.register({ category: 'gender', value: 'weiblich' })!;
  assert.equal(a.fp, b.fp, 'same canonical f');
  const p1 = r.register({ category: 'postal_code', value: '94105-1234' })!;
  const p2 = r.register({ category: 'postal_code', value: '94105' })!;
  assert.notEqual(p1.fp, p2.fp);
  const hits = r.lookupPlain('94105');
  assert.deepEqual(hits?.map((h) => h.fp).sort(), [p1.fp, p2.fp].sort());
  for (let i = 0; i < 20; i++) r.register({ category: 'postal_code', value: `94105-${1000 + i}` });
  assert.ok((r.lookupPlain('94105')?.length ?? 0) <= 8);
});

test('re-registering the same value is idempotent and updates the subject', () => {
  const r = make();
  const first = r.register({ category: 'email', value: 'a.b@example.com' })!;
  const before = r.stats();
  const again = r.register({ category: 'email', value: 'a.b@example.com', subject: 'SUBJ' })!;
  assert.deepEqual(again, first);
  const after = r.stats();
  assert.equal(after.values, before.values);
  assert.equal(after.keys, before.keys);
  assert.equal(after.bytes - before.bytes, 'SUBJ'.length * 2);
  assert.equal(r.lookupPlain('ab@example.com')?.[0].subject, 'SUBJ');
  assert.equal(r.lookupDigest(digest('sha256', 'a.b@example.com'))?.[0].subject, 'SUBJ');
  r.register({ category: 'email', value: 'a.b@example.com', subject: 'SUBJ' });
  assert.deepEqual(r.stats(), after);
  // Another spelling of the same value adds its own raw forms to the same fingerprint.
  r.register({ category: 'email', value: 'A.B@Example.com' });
  assert.equal(r.stats().values, 1);
  assert.equal(r.lookupPlain('A.B@Example.com')?.[0].fp, first.fp);
  // A key reached by several variants of one value holds that value once.
  assert.equal(r.lookupPlain('a.b@example.com')?.length, 1);
  assert.equal(r.lookupDigest(digest('sha256', 'a.b@example.com'))?.length, 1);
});

test('TTL: expired values are ignored on lookup and swept', () => {
  let now = 1_000_000;
  const r = make({ ttlSeconds: 60, now: () => now });
  r.register({ category: 'email', value: 'old@example.com' });
  now += 30_000;
  r.register({ category: 'email', value: 'newer@example.com' });
  now += 31_000; // old is 61 s old, newer 31 s
  assert.equal(r.lookupPlain('old@example.com'), undefined);
  assert.equal(r.lookupDigest(digest('sha256', 'old@example.com')), undefined);
  assert.ok(r.lookupPlain('newer@example.com'));
  assert.equal(r.stats().values, 1);
  // Re-registering refreshes the TTL.
  r.register({ category: 'email', value: 'newer@example.com' });
  now += 59_000;
  assert.ok(r.lookupPlain('newer@example.com'));
  now += 2_000;
  r.register({ category: 'email', value: 'fresh@example.com' }); // sweeps on register too
  assert.equal(r.stats().values, 1);
  assert.equal(r.lookupPlain('newer@example.com'), undefined);
});

test('byte accounting returns to zero when everything is evicted', () => {
  let now = 0;
  const r = make({ ttlSeconds: 1, now: () => now });
  for (let i = 0; i < 50; i++) {
    r.register({ category: 'email', value: `p${i}.x@gmail.com`, subject: 's' + i });
    r.register({ category: 'postal_code', value: `9410${i % 3}-12${i}` });
    r.register({ category: 'gender', value: i % 2 ? 'm' : 'female' });
  }
  assert.ok(r.stats().bytes > 0);
  now += 5_000;
  r.register({ category: 'email', value: 'last@example.com' });
  now += 5_000;
  assert.equal(r.lookupPlain('last@example.com'), undefined);
  assert.deepEqual(r.stats(), { values: 0, keys: 0, bytes: 0 });
});

test('LRU under a byte cap: oldest values go, recent ones stay, bytes stay under the cap', () => {
  const probe = make();
  probe.register({ category: 'email', value: 'user0@example.com' });
  const perValue = probe.stats().bytes;
  const r = make({ maxBytes: perValue * 5 });
  for (let i = 0; i < 20; i++) r.register({ category: 'email', value: `user${i}@example.com` });
  const s = r.stats();
  assert.ok(s.bytes <= perValue * 5, `${s.bytes} <= ${perValue * 5}`);
  assert.ok(s.values >= 3 && s.values <= 5, `values ${s.values}`);
  assert.equal(r.lookupPlain('user0@example.com'), undefined);
  assert.equal(r.lookupDigest(digest('md5', 'user0@example.com')), undefined);
  assert.ok(r.lookupPlain('user19@example.com'));
  // Touching an old value moves it to the recent end.
  const keep = `user${20 - s.values}@example.com`;
  r.register({ category: 'email', value: keep });
  r.register({ category: 'email', value: 'another@example.com' });
  assert.ok(r.lookupPlain(keep));
  assert.equal(r.lookupPlain(`user${21 - s.values}@example.com`), undefined);
});

test('eviction removes exactly the evicted value\'s hits from shared keys', () => {
  const probe = make();
  probe.register({ category: 'postal_code', value: '94105-1234' });
  const r = make({ maxBytes: Math.floor(probe.stats().bytes * 2.5) });
  const a = r.register({ category: 'postal_code', value: '94105-1234' })!;
  const b = r.register({ category: 'postal_code', value: '94105-9999' })!;
  assert.equal(r.lookupPlain('94105')?.length, 2);
  r.register({ category: 'postal_code', value: '10115' });
  r.register({ category: 'postal_code', value: '75001' });
  assert.equal(r.stats().values, 3);
  assert.deepEqual(r.lookupPlain('94105')?.map((h) => h.fp), [b.fp]);
  assert.notEqual(a.fp, b.fp);
  assert.equal(r.lookupPlain('94105-1234'), undefined);
});

test('fingerprint() does not index; clear() empties', () => {
  const r = make();
  assert.deepEqual(r.fingerprint('phone', '(650) 555-1212'), { fp: fingerprintId(KEY, '+16505551212'), canonical: '+16505551212' });
  assert.equal(r.fingerprint('email', 'nope'), null);
  assert.deepEqual(r.stats(), { values: 0, keys: 0, bytes: 0 });
  r.register({ category: 'email', value: 'x@example.com' });
  r.clear();
  assert.deepEqual(r.stats(), { values: 0, keys: 0, bytes: 0 });
  assert.equal(r.lookupPlain('x@example.com'), undefined);
});

test('memory: stats().bytes of 10k emails is within 2x of the measured heap growth', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const r = make();
  const values: string[] = [];
  for (let i = 0; i < 10_000; i++) values.push(` First.Last${i}+tag@Gmail.com `);
  r.register({ category: 'email', value: 'warmup@example.com' });
  // The registry keeps its index in typed arrays, off the JS heap: count both.
  const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
  gc();
  gc();
  const before = used();
  for (const value of values) r.register({ category: 'email', value, subject: 'subject-fp-0000000000' });
  gc();
  gc();
  const grown = used() - before;
  const { bytes, values: n } = r.stats();
  assert.equal(n, 10_001);
  const ratio = grown / bytes;
  assert.ok(ratio > 0.5 && ratio < 2, `heap grew ${grown}, stats say ${bytes} (ratio ${ratio.toFixed(2)})`);
  // And an absolute sanity bound: a few KB per email (≈ 25 keys each), not tens of KB.
  assert.ok(bytes / n < 8 * 1024, `${bytes / n} bytes per email`);
});

test('the plain-key filter: every key is found before, during and after its rebuilds', () => {
  // No cap: every value stays, so a rebuild that dropped keys of older values shows here.
  const r = make();
  const name = (i: number) => `Zq${i.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)))}x`;
  for (let i = 0; i < 40_000; i++) {
    r.register({ category: 'name', value: name(i) });
    if (i % 4000 === 3999) for (let k = 0; k <= i; k += 7) assert.ok(r.lookupPlain(name(k).toLowerCase())?.length, `value ${k} found after ${i + 1} registrations`);
  }
  for (let k = 0; k < 40_000; k++) assert.ok(r.lookupPlain(name(k))?.length, `value ${k} found as written`);
});

test('the plain-key filter: live keys are found through its rebuilds and a byte cap\'s evictions; evicted ones are not', () => {
  // 60k names under a 2 MB cap: the filter grows past its first size (8192 plain keys) and is
  // rebuilt while the oldest values are evicted.
  const r = make({ maxBytes: 2 * 1024 * 1024 });
  // letters only: a name's variants drop digits, so `Zq1a` and `Zq2a` would share keys
  const name = (i: number) => `Zq${i.toString(26).replace(/./g, (d) => String.fromCharCode(97 + parseInt(d, 26)))}x`;
  for (let i = 0; i < 60_000; i++) {
    r.register({ category: 'name', value: name(i) });
    // mid-rebuild too: the filter in use only gains bits until the new one replaces it
    if (i % 5000 === 4999) for (let k = i - 499; k <= i; k++) assert.ok(r.lookupPlain(name(k).toLowerCase())?.length, `value ${k} found while registering`);
  }
  const live = r.stats().values;
  assert.ok(live > 5_000 && live < 60_000, `${live} values live under the cap`);
  // Registered once each and never touched again, the live values are the most recent ones: every
  // one of them is found by its plain keys, those indexed before the filter's last rebuild too.
  for (let i = 60_000 - live; i < 60_000; i++) {
    assert.ok(r.lookupPlain(name(i).toLowerCase())?.length, `recent value ${i} found lowercased`);
    assert.ok(r.lookupPlain(name(i))?.length, `recent value ${i} found as written`);
  }
  for (let i = 0; i < 1000; i++) assert.equal(r.lookupPlain(name(i).toLowerCase()), undefined, `evicted value ${i}`);
});

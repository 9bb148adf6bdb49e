// Writes test/corpus/cases.jsonl: labeled egress cases for the detection-quality benchmark.
//   npm run corpus:generate   (node dist/test/corpus/generate.js --out test/corpus/cases.jsonl; same seed →
//   same people, payloads and labels)
// Hand-built payloads are byte-for-byte reproducible; SDK-recorded ones carry the SDKs' own
// timestamps and message ids, so their bytes (not their labels) change between runs. The
// generated file is committed so the benchmark is stable.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CorpusCase, ExpectedNonShare } from './case-format';
import { buildIngress, CATEGORY_OF, type Field, type IngressShape } from './ingress';
import { LoopbackVendors } from './loopback';
import { NEGATIVES, otherPersons } from './negatives';
import { LOCALES, makePerson, type Locale, type Person } from './people';
import { Rng } from './prng';
import { SDK_CASES, SDK_HOSTS, type SdkSpec } from './sdk-cases';
import { Shares, type EgressSpec, type VendorGen } from './spec';
import { ADS_VENDORS } from './vendors-ads';
import { CRM_VENDORS } from './vendors-crm';
import { LLM_VENDORS } from './vendors-llm';
import { TRANSPORT_VENDORS } from './vendors-transport';

const SEED = 20240610;
const PEOPLE_PER_LOCALE = 16;
const ALL_FIELDS: readonly Field[] = ['email', 'phone', 'first', 'last', 'dob', 'gender', 'street', 'city', 'region', 'postal', 'country', 'income', 'userId', 'deviceId'];

interface Plan {
  key: string;
  locales: readonly Locale[];
  gen: VendorGen;
  negative: boolean;
}

class Corpus {
  readonly cases: CorpusCase[] = [];
  private readonly people = new Map<Locale, Person[]>();
  private turn = 0;

  constructor(private readonly rng: Rng) {
    for (const l of LOCALES) {
      const r = rng.fork(`people-${l}`);
      this.people.set(l, Array.from({ length: PEOPLE_PER_LOCALE }, () => makePerson(r, l)));
    }
  }

  person(locale: Locale): Person {
    const list = this.people.get(locale)!;
    return list[this.turn++ % list.length];
  }

  /** Somebody from another locale, so low-entropy values (city, zip) do not coincide by construction. */
  other(locale: Locale, r: Rng): Person {
    const l = LOCALES[(LOCALES.indexOf(locale) + r.int(1, LOCALES.length - 1)) % LOCALES.length];
    return r.pick(this.people.get(l)!);
  }

  add(key: string, locale: Locale, p: Person, r: Rng, spec: Pick<EgressSpec, 'vendor' | 'vendorKind' | 'wants' | 'shares' | 'nonShares' | 'note'>,
    egress: CorpusCase['egress'], source: string): void {
    const fields = new Set<Field>(spec.wants);
    // Forms ask for more than any one vendor call carries.
    if (spec.wants.length > 0 && r.chance(0.5)) for (let i = r.int(1, 3); i > 0; i--) fields.add(r.pick(ALL_FIELDS));
    const shape: IngressShape = spec.wants.length === 0 ? 'query' : r.pick(['json', 'json', 'json', 'form', 'multipart', 'query'] as const);
    const built = spec.wants.length === 0
      ? { ingress: { method: 'GET', target: '/healthz', headers: { 'user-agent': 'kube-probe/1.29' }, body: '' }, collected: new Set<string>() }
      : buildIngress(r, p, fields, shape);
    for (const s of spec.shares.list) {
      if (!built.collected.has(s.category)) throw new Error(`${key}: label ${s.category} was never collected`);
    }
    const nonShares: ExpectedNonShare[] = [...(spec.nonShares ?? [])];
    for (const cat of built.collected) {
      if (!spec.shares.list.some((s) => s.category === cat) && !nonShares.some((x) => x.category === cat)) {
        nonShares.push({ category: cat, why: 'collected, not in this call' });
      }
    }
    const id = `c${String(this.cases.length + 1).padStart(4, '0')}-${key}-${locale.toLowerCase()}`;
    this.cases.push({
      id, vendorKind: spec.vendorKind, vendor: spec.vendor, source, locale,
      label: spec.shares.list.length > 0 ? 'positive' : 'negative', note: spec.note,
      ingress: built.ingress, egress, expectedShares: spec.shares.list, expectedNonShares: nonShares,
    });
  }

  addSpec(plan: Plan, locale: Locale): void {
    const r = this.rng.fork(`${plan.key}-${locale}-${this.cases.length}`);
    const p = this.person(locale);
    const spec = plan.gen({ rng: r, p, other: this.other(locale, r) });
    const body = typeof spec.body === 'string' ? Buffer.from(spec.body, 'utf8') : spec.body;
    const headers = { ...spec.headers };
    if (body.length) headers['content-length'] = String(body.length);
    this.add(plan.key, locale, p, r, spec, { method: spec.method, url: spec.url, headers, body: body.toString('base64') }, 'hand');
  }

  addSdk(key: string, locale: Locale, p: Person, r: Rng, spec: SdkSpec, negativeOf?: Person): void {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(spec.request.headers)) if (k !== 'connection') headers[k] = v;
    let labels: Pick<EgressSpec, 'vendor' | 'vendorKind' | 'wants' | 'shares' | 'nonShares' | 'note'> = spec;
    let person = p;
    if (negativeOf) {
      // The SDK ran with somebody else's data; this request collected `negativeOf`.
      const nonShares = spec.shares.list.map((x) => ({ category: x.category, why: `another person's ${x.category} (${x.transform})` }));
      labels = { ...spec, shares: new Shares(), nonShares, note: 'SDK payload of another person' };
      person = negativeOf;
    }
    this.add(key, locale, person, r, labels,
      { method: spec.request.method, url: spec.request.url, headers, body: spec.request.body.toString('base64') }, spec.source);
  }
}

function planAll(): Plan[] {
  const plans: Plan[] = [];
  const every = (list: ReadonlyArray<[string, VendorGen]>, locales: readonly Locale[], negative = false): void => {
    for (const [key, gen] of list) plans.push({ key, gen, locales, negative });
  };
  every(ADS_VENDORS, LOCALES);
  every(CRM_VENDORS, LOCALES);
  every(LLM_VENDORS, [...LOCALES, 'US', 'DE', 'BR']);
  every(TRANSPORT_VENDORS, ['US', 'GB', 'FR', 'IN']);
  every(NEGATIVES, ['US', 'DE', 'FR', 'IN', 'BR'], true);
  const others: Array<[string, VendorGen]> = [...ADS_VENDORS, ...CRM_VENDORS].map(([k, g]) => [`${k}-other-person`, otherPersons(g)]);
  every(others, ['GB', 'BR'], true);
  return plans;
}

async function main(): Promise<void> {
  const out = resolve(process.argv[process.argv.indexOf('--out') + 1] ?? 'test/corpus/cases.jsonl');
  const rng = new Rng(SEED);
  const corpus = new Corpus(rng);
  for (const plan of planAll()) for (const l of plan.locales) corpus.addSpec(plan, l);

  const fake = await LoopbackVendors.start(SDK_HOSTS);
  try {
    for (const [key, run] of SDK_CASES) {
      for (const l of LOCALES) {
        const r = rng.fork(`${key}-${l}`);
        const p = corpus.person(l);
        corpus.addSdk(key, l, p, r, await run(fake, p, r));
      }
    }
    for (const [key, run] of SDK_CASES.slice(0, 3)) {
      for (const l of ['US', 'DE'] as const) {
        const r = rng.fork(`${key}-other-${l}`);
        const p = corpus.person(l);
        const other = corpus.other(l, r);
        corpus.addSdk(`${key}-other-person`, l, other, r, await run(fake, other, r), p);
      }
    }
  } finally {
    await fake.close();
  }

  writeFileSync(out, corpus.cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
  const neg = corpus.cases.filter((c) => c.label === 'negative').length;
  const byKind = new Map<string, number>();
  for (const c of corpus.cases) byKind.set(c.vendorKind, (byKind.get(c.vendorKind) ?? 0) + 1);
  console.log(`wrote ${corpus.cases.length} cases to ${out} (${neg} negatives, ${(100 * neg / corpus.cases.length).toFixed(1)}%)`);
  console.log([...byKind].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v}`).join(' '));
}

// Ingress field → category map is re-exported for tools that inspect the corpus.
export { CATEGORY_OF };

// Only when asked explicitly: `node --test <folder>` would otherwise run this file as a test and
// overwrite the committed corpus.
if (require.main === module && process.argv.includes('--out')) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}

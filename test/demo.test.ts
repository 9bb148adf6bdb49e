// `npm run demo` end to end: scripts/demo.mjs runs examples/budget-tracker under
// `node --import @sst/otel-auto` against the loopback fakes, drives its traffic, loads the spool
// into a scratch chDB store and writes the HTML report. The store's answers are then checked
// against the traffic's ground truth (who signed up, who accepted marketing, who asked the LLM),
// with fingerprint ids computed here from the raw values and the demo's key, as `sst fingerprint`
// does. Runs twice: on SQLite (the default) and on PostgreSQL (PGURL, default the local test
// server; skipped with the reason when none answers). Needs the right to bind ports 80/443 on
// loopback (root in CI) and chdb.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, after, describe, test } from 'node:test';
import { Client } from 'pg';
import { main } from '../cli/sst';
import { candidates, lookupKey } from '../cli/subject';
import { FINGERPRINT_KEY } from './e2e/harness/hosts';
import { describeLeaks, findLeaks, leakNeedles, type LeakSource } from './e2e/harness/leak-check';
import { projectRoot } from './e2e/harness/project';

interface TruthUser {
  id: string; name: string; firstName: string; email: string; emailTyped: string; phone: string; phoneE164: string;
  birthdate: string; gender: string; income: number; marketingConsent: boolean; registered: boolean; logins: number;
  expenses: number; askedInsights: boolean; upgraded: boolean;
}
interface Truth { users: TruthUser[]; crmSync: { status: number; exported: number; batches: number }; serverErrors: number; exit: { code: number | null } }

interface LineageRow {
  Fingerprint: string; Flow: string; Target: string; DestinationHost: string; DestinationVendor: string;
  DestinationKind: string; Categories: string[]; Fields: string[]; Transforms: string[];
}

interface SpanRow {
  TraceId: string; Flow: string; DestinationHost: string; DestinationVendor: string; Fingerprints: string[]; Fields: string[];
}

const DEMO_TIMEOUT_MS = 170_000;
const root = projectRoot();
const key = lookupKey({ SST_FINGERPRINT_KEY: FINGERPRINT_KEY });
const fp = (category: string, value: string): string => candidates(value, category, 'US', key)[0].fingerprint;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const PGURL = process.env.PGURL ?? 'postgres://postgres@127.0.0.1:5432/test';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Runs `sql` on PGURL; undefined when it worked, else why not (for the skip reason). */
async function pgExec(sql: string): Promise<string | undefined> {
  const client = new Client({ connectionString: PGURL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query(sql);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface Variant { title: string; users: number; pgSchema?: string }

function demoSuite(v: Variant): void {
  const work = mkdtempSync(join(tmpdir(), 'sst-demo-test-'));
  const storeDir = join(work, 'clickhouse');
  const htmlFile = join(work, 'report.html');
  const env = { ...process.env, SST_FINGERPRINT_KEY: FINGERPRINT_KEY, SST_SPOOL_DIR: join(work, 'spool') };
  let skipReason: string | undefined;
  let output = '';
  let truth: Truth;
  let rows: LineageRow[] = [];
  /** Span-level view: batches (Segment, HubSpot, the CRM load) carry more matches than the per-span
   *  event cap, so per-fingerprint fields can be cut there; sst.fingerprints and sst.fields are whole. */
  let spans: SpanRow[] = [];

  const runDemo = (): Promise<{ code: number | null }> => new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'demo.mjs')], {
      cwd: root,
      env: {
        ...process.env, SST_DEMO_DIR: work, SST_DEMO_BUILD: '0', SST_DEMO_USERS: String(v.users),
        ...(v.pgSchema ? { SST_DEMO_PGURL: PGURL, SST_DEMO_PG_SCHEMA: v.pgSchema } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8').on('data', (s: string) => { output += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { output += s; });
    const timer = setTimeout(() => child.kill('SIGKILL'), DEMO_TIMEOUT_MS);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code }); });
  });

  const sst = async (args: string[]): Promise<string> => {
    let out = '';
    let err = '';
    const code = await main(['--store', storeDir, ...args], { out: (t) => { out += t; }, err: (t) => { err += t; }, errIsTty: false }, env, root);
    assert.equal(code, 0, `sst ${args[0]} failed: ${err}`);
    return out;
  };

  describe(v.title, { timeout: DEMO_TIMEOUT_MS + 60_000 }, () => {
    before(async () => {
      if (!existsSync(join(root, 'node_modules', 'chdb'))) { skipReason = 'chdb (optional dependency) is not installed'; return; }
      if (v.pgSchema) {
        const why = await pgExec('SELECT 1');
        if (why) { skipReason = `no PostgreSQL at ${PGURL.replace(/\/\/[^@/]*@/, '//')}: ${why}`; return; }
      }
      const { code } = await runDemo();
      if (code !== 0 && /EACCES/.test(output)) { skipReason = 'cannot bind ports 80/443 on loopback (run as root)'; return; }
      assert.equal(code, 0, `the demo failed:\n${output.slice(-4000)}`);
      truth = JSON.parse(readFileSync(join(work, 'ground-truth.json'), 'utf8')) as Truth;
      const raw = JSON.parse(await sst(['sql', '--json', `SELECT Fingerprint, Flow, Target, DestinationHost, DestinationVendor, DestinationKind,
        Categories, Fields, Transforms FROM otel.sst_lineage`])) as Record<string, unknown>[];
      rows = raw.map((r) => ({
        Fingerprint: String(r.Fingerprint), Flow: String(r.Flow), Target: String(r.Target), DestinationHost: String(r.DestinationHost),
        DestinationVendor: String(r.DestinationVendor), DestinationKind: String(r.DestinationKind), Categories: strings(r.Categories),
        Fields: strings(r.Fields), Transforms: strings(r.Transforms),
      }));
      const rawSpans = JSON.parse(await sst(['sql', '--json', `SELECT TraceId, Flow, DestinationHost, DestinationVendor, Fingerprints, Fields
        FROM otel.sst_flows`])) as Record<string, unknown>[];
      spans = rawSpans.map((r) => ({
        TraceId: String(r.TraceId), Flow: String(r.Flow), DestinationHost: String(r.DestinationHost), DestinationVendor: String(r.DestinationVendor),
        Fingerprints: strings(r.Fingerprints), Fields: strings(r.Fields),
      }));
    });
    after(async () => {
      if (!process.env.SST_E2E_KEEP) rmSync(work, { recursive: true, force: true });
      if (v.pgSchema && !skipReason) await pgExec(`DROP SCHEMA IF EXISTS ${v.pgSchema} CASCADE`);
    });

    const of = (fingerprint: string, flow: string, pred: (r: LineageRow) => boolean = () => true): LineageRow[] =>
      rows.filter((r) => r.Fingerprint === fingerprint && r.Flow === flow && pred(r));
    const spansWith = (fingerprint: string, flow: string, pred: (r: SpanRow) => boolean = () => true): SpanRow[] =>
      spans.filter((r) => r.Flow === flow && r.Fingerprints.includes(fingerprint) && pred(r));
    /** '' when every user passes; else how many fail, with a few ids (short assertion messages). */
    const missing = (users: TruthUser[], has: (u: TruthUser) => boolean): string => {
      const bad = users.filter((u) => !has(u)).map((u) => u.id);
      return bad.length ? `${bad.length} of ${users.length} users, e.g. ${bad.slice(0, 3).join(', ')}` : '';
    };

    test('the traffic ran cleanly: everyone registered, the service exited 0 on SIGTERM, the CRM sync exported everyone', (t) => {
      if (skipReason) return t.skip(skipReason);
      assert.equal(truth.users.length, v.users);
      assert.ok(truth.users.every((u) => u.registered && u.logins >= 1), 'everyone registered and logged in');
      assert.ok(truth.users.some((u) => !u.marketingConsent) && truth.users.some((u) => u.marketingConsent), 'both consent choices present');
      assert.ok(truth.users.some((u) => u.askedInsights), 'someone asked for insights');
      assert.equal(truth.serverErrors, 0);
      assert.equal(truth.exit.code, 0, 'clean exit');
      assert.equal(truth.crmSync.status, 200);
      assert.equal(truth.crmSync.exported, truth.users.length);
      assert.match(output, /SST report/);
      assert.match(output, /Try next:/);
    });

    test('the printed report fits a 100-column terminal', (t) => {
      if (skipReason) return t.skip(skipReason);
      const report = output.slice(output.indexOf('SST report'), output.indexOf('Try next:'));
      const wide = report.split('\n').filter((l) => [...l].length > 100);
      assert.deepEqual(wide, [], 'report lines wider than 100 columns');
    });

    test('Meta got the sha256 of every consenting user\'s email', (t) => {
      if (skipReason) return t.skip(skipReason);
      const yes = truth.users.filter((u) => u.marketingConsent);
      assert.equal(missing(yes, (u) => of(fp('email', u.email), 'share', (r) => r.DestinationVendor === 'meta' && r.Transforms.some((x) => x.includes('sha256'))).length > 0), '');
    });

    test('nothing of the users who opted out went to Meta or into Segment traits (email, phone, name)', (t) => {
      if (skipReason) return t.skip(skipReason);
      const no = truth.users.filter((u) => !u.marketingConsent);
      for (const u of no) {
        for (const [cat, v] of [['email', u.email], ['phone', u.phone], ['name', u.name]] as const) {
          const leaked = of(fp(cat, v), 'share', (r) => r.DestinationVendor === 'meta' || r.DestinationVendor === 'segment');
          assert.deepEqual(leaked.map((r) => `${r.DestinationVendor}:${r.Fields.join(',')}`), [], `${u.id} opted out but their ${cat} went to meta/segment`);
        }
      }
    });

    test('Segment got the email trait of every consenting user', (t) => {
      if (skipReason) return t.skip(skipReason);
      const yes = truth.users.filter((u) => u.marketingConsent);
      assert.equal(missing(yes, (u) => spansWith(fp('email', u.email), 'share', (r) => r.DestinationVendor === 'segment' && r.Fields.some((f) => /traits\.email$/.test(f))).length > 0), '');
    });

    test('the risk partner got sha256(email) of every new user', (t) => {
      if (skipReason) return t.skip(skipReason);
      assert.equal(missing(truth.users, (u) => of(fp('email', u.email), 'share', (r) => r.DestinationHost === 'risk.partner-example.com' && r.Transforms.some((x) => x.includes('sha256'))).length > 0), '');
    });

    test('every welcome mail shows as an email share to SendGrid', (t) => {
      if (skipReason) return t.skip(skipReason);
      assert.equal(missing(truth.users, (u) => of(fp('email', u.email), 'share', (r) => r.DestinationVendor === 'sendgrid').length > 0), '');
    });

    test('the income of everyone who asked for insights went to the LLM (openai, llm.messages[i].content)', (t) => {
      if (skipReason) return t.skip(skipReason);
      const asked = truth.users.filter((u) => u.askedInsights);
      const llmRows = (u: TruthUser): LineageRow[] => of(fp('income', String(u.income)), 'share', (r) => r.DestinationVendor === 'openai' && r.DestinationKind === 'llm');
      assert.equal(missing(asked, (u) => llmRows(u).length > 0), '', 'income shared with openai');
      assert.equal(missing(asked, (u) => llmRows(u).some((r) => r.Fields.some((f) => /^llm\.messages\[\d+\]\.content$/.test(f)))), '', 'field llm.messages[i].content');
      const never = truth.users.filter((u) => !u.askedInsights);
      assert.equal(missing(never, (u) => llmRows(u).length === 0), '', 'no income of users who never asked');
    });

    test('sign-ups are stored: every email in users.email, every income in users.annual_income (store flow)', (t) => {
      if (skipReason) return t.skip(skipReason);
      assert.equal(missing(truth.users, (u) => of(fp('email', u.email), 'store', (r) => r.Fields.includes('users.email')).length > 0), '', 'users.email');
      assert.equal(missing(truth.users, (u) => of(fp('income', String(u.income)), 'store', (r) => r.Fields.includes('users.annual_income')).length > 0), '', 'users.annual_income');
    });

    test('the nightly CRM sync: users loaded from the users table, then shared with HubSpot in the same trace', (t) => {
      if (skipReason) return t.skip(skipReason);
      const chain = (u: TruthUser): boolean => {
        const f = fp('email', u.email);
        const shareTraces = new Set(spansWith(f, 'share', (r) => r.DestinationVendor === 'hubspot').map((r) => r.TraceId));
        return spansWith(f, 'load', (r) => r.Fields.includes('users.email') && shareTraces.has(r.TraceId)).length > 0;
      };
      assert.equal(missing(truth.users, (u) => spansWith(fp('email', u.email), 'share', (r) => r.DestinationVendor === 'hubspot').length > 0), '', 'shared with hubspot');
      assert.equal(missing(truth.users, chain), '', 'load → share in one trace');
    });

    test('sst report --json agrees with the ground truth', async (t) => {
      if (skipReason) return t.skip(skipReason);
      const r = JSON.parse(await sst(['report', '--json', '--no-ingest'])) as { destinations: { vendor: string; host: string; subjects: number }[]; categories: { category: string; valuesCollected: number }[] };
      const subjects = (vendor: string): number | undefined => r.destinations.find((d) => d.vendor === vendor || d.host === vendor)?.subjects;
      const collected = (category: string): number | undefined => r.categories.find((c) => c.category === category)?.valuesCollected;
      const n = truth.users.length;
      const consenting = truth.users.filter((u) => u.marketingConsent).length;
      // Subjects are people (semconv §2: one per data subject), whatever identifiers a payload carries:
      // Segment hears of everyone (by user id), Meta only of those who accepted marketing.
      assert.deepEqual({
        'sendgrid subjects': subjects('sendgrid'),
        'risk partner subjects': subjects('risk.partner-example.com'),
        'openai subjects': subjects('openai'),
        'hubspot subjects': subjects('hubspot'),
        'segment subjects': subjects('segment'),
        'meta subjects': subjects('meta'),
        'emails collected': collected('email'),
        'incomes collected': collected('income'),
      }, {
        'sendgrid subjects': n,
        'risk partner subjects': n,
        'openai subjects': truth.users.filter((u) => u.askedInsights).length,
        'hubspot subjects': n,
        'segment subjects': n,
        'meta subjects': consenting,
        'emails collected': n,
        'incomes collected': n,
      });
    });

    test('no raw or unkeyed-hashed email or phone of the traffic in the spool or the HTML report', (t) => {
      if (skipReason) return t.skip(skipReason);
      const sources: LeakSource[] = filesUnder(join(work, 'spool')).map((f) => ({ name: `spool:${f.slice(work.length + 1)}`, text: readFileSync(f, 'utf8') }));
      assert.ok(sources.length > 0, 'spool files exist');
      if (existsSync(htmlFile)) sources.push({ name: 'report.html', text: readFileSync(htmlFile, 'utf8') });
      else t.diagnostic('the HTML report was not written (sst report --html not available); only the spool was checked');
      const needles = leakNeedles(truth.users.map((u) => ({ email: u.emailTyped, phone: u.phone, phoneE164: u.phoneE164 })));
      const hits = findLeaks(needles, sources);
      assert.equal(hits.length, 0, describeLeaks(hits));
    });
  });
}

demoSuite({ title: 'npm run demo: examples/budget-tracker on SQLite', users: 36 });
demoSuite({ title: 'npm run demo: examples/budget-tracker on PostgreSQL', users: 12, pgSchema: `budget_tracker_test_${process.pid}` });

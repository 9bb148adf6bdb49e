// One lineage chain through a real database, shared by the pg, mysql2 and better-sqlite3 pipeline
// tests: a request registers a person (collect) and the app INSERTs them (store); another person
// is put in the table without tracing (so only the DB knows them); a background job SELECTs the
// users (load) and mails them through a loopback SendGrid (share). The collect, store, load and
// share spans must carry the same fingerprint ids.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { resolveVendorsToLoopback } from '../loopback-dns';
import type { AddressInfo } from 'node:net';
import { context, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { start, type SstHandle } from '../../instrumentation/api';

export interface Person { email: string; name: string; phone: string }

/** What a driver test provides; every method runs real SQL on its own table. */
export interface DbAdapter {
  /** Table holding the people (unique per process). */
  table: string;
  setup(): Promise<void>;
  /** Parameterized INSERT of the person, with a sha256 of the email in `email_sha256`. */
  insertUser(p: Person, emailSha256: string): Promise<void>;
  /** SELECT email, name of every user (the caller decides whether it is traced). */
  selectUsers(): Promise<Array<{ email: string; name: string }>>;
  /** A query on a table without personal data. */
  selectProducts(): Promise<unknown>;
  teardown(): Promise<void>;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const REGISTERED: Person = { email: 'Lina.Park@example.org', name: 'Lina Park', phone: '+1 415 555 0142' };
export const SEEDED: Person = { email: 'omar.haddad@example.net', name: 'Omar Haddad', phone: '+1 212 555 0187' };

let restoreDns: () => void = () => undefined;

export interface Started { handle: SstHandle; exporter: InMemorySpanExporter }

/** Starts the distribution (before the driver is required, so its instrumentation applies). */
export function startSst(): Started {
  const exporter = new InMemorySpanExporter();
  const handle = start({
    config: { defaultPhoneRegion: 'US' },
    env: { SST_FINGERPRINT_KEY: 'db-pipeline-test-key-0123456789', OTEL_TRACES_EXPORTER: 'none' },
    exportProcessors: [new SimpleSpanProcessor(exporter)],
    handleExit: false,
    esmHooks: false,
  });
  assert.ok(handle, 'the distribution started');
  return { handle, exporter };
}

export interface ChainResult {
  spans: ReadableSpan[];
  collect: ReadableSpan;
  store: ReadableSpan;
  load: ReadableSpan;
  share: ReadableSpan;
  products: ReadableSpan[];
}

const isDb = (s: ReadableSpan) => s.kind === SpanKind.CLIENT && (s.attributes['db.system.name'] !== undefined || s.attributes['db.system'] !== undefined);
const text = (s: ReadableSpan) => String(s.attributes['db.query.text'] ?? s.attributes['db.statement'] ?? '');

export async function runChain(st: Started, db: DbAdapter): Promise<ChainResult> {
  const http = require('node:http') as typeof import('node:http');
  restoreDns = resolveVendorsToLoopback();
  const servers: import('node:http').Server[] = [];
  try {
    const vendor = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(202); res.end(); }); });
    await new Promise<void>((r) => vendor.listen(0, '127.0.0.1', r));
    servers.push(vendor);
    const vendorPort = (vendor.address() as AddressInfo).port;
    const app = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        try {
          const p = JSON.parse(Buffer.concat(chunks).toString()) as Person;
          await db.insertUser(p, sha256(p.email.trim().toLowerCase()));
          res.writeHead(201, { 'content-type': 'application/json' });
          res.end('{"ok":true}');
        } catch (e) {
          res.writeHead(500);
          res.end(String((e as Error).message));
        }
      });
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    servers.push(app);
    const appPort = (app.address() as AddressInfo).port;

    await db.setup();
    const r = await fetch(`http://127.0.0.1:${appPort}/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(REGISTERED),
    });
    assert.equal(r.status, 201, await r.text());
    // Known only to the database: written with tracing suppressed.
    await context.with(suppressTracing(context.active()), () => db.insertUser(SEEDED, sha256(SEEDED.email)));
    // The background job: no request around it.
    await context.with(ROOT_CONTEXT, async () => {
      const users = await db.selectUsers();
      assert.equal(users.length, 2);
      await fetch(`http://api.sendgrid.com:${vendorPort}/v3/mail/send`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ personalizations: users.map((u) => ({ to: [{ email: u.email, name: u.name }] })), subject: 'Your weekly digest' }),
      }).then((x) => x.text());
      await db.selectProducts();
    });
    await st.handle.forceFlush();
    await new Promise((res) => setTimeout(res, 30));
    await st.handle.forceFlush();
  } finally {
    for (const s of servers) s.close();
    restoreDns();
    await db.teardown();
  }
  const spans = st.exporter.getFinishedSpans();
  const collect = spans.find((s) => s.kind === SpanKind.SERVER && s.attributes['sst.flow'] === 'collect');
  const store = spans.find((s) => isDb(s) && /insert/i.test(text(s)) && text(s).includes(db.table) && s.attributes['sst.flow'] === 'store');
  const load = spans.find((s) => isDb(s) && /select/i.test(text(s)) && text(s).includes(db.table));
  const share = spans.find((s) => s.kind === SpanKind.CLIENT && s.attributes['sst.destination.vendor'] === 'sendgrid');
  const products = spans.filter((s) => isDb(s) && /products/i.test(text(s)) && /select/i.test(text(s)));
  const names = spans.map((s) => `${s.name} ${String(s.attributes['sst.flow'] ?? '')}`).join(', ');
  assert.ok(collect, `collect span (${names})`);
  assert.ok(store, `store span (${names})`);
  assert.ok(load, `load span (${names})`);
  assert.ok(share, `share span (${names})`);
  return { spans, collect, store, load, share, products };
}

const list = (s: ReadableSpan, k: string) => (s.attributes[k] as string[] | undefined) ?? [];
const eventFp = (s: ReadableSpan, name: string, category: string, field?: string) =>
  s.events.filter((e) => e.name === name && e.attributes?.['sst.category'] === category && (!field || e.attributes?.['sst.field'] === field))
    .map((e) => String(e.attributes?.['sst.fingerprint']));

/** The contract checks every driver must pass. */
export function assertChain(res: ChainResult, table: string): void {
  const { collect, store, load, share } = res;
  const emailFp = eventFp(collect, 'sst.tag', 'email')[0];
  assert.ok(emailFp, 'collect tagged the email');

  // store: INSERT with the email, the name, the phone and a sha256 of the email.
  assert.equal(store.attributes['sst.flow'], 'store');
  const storeFields = list(store, 'sst.fields');
  for (const f of [`${table}.email`, `${table}.name`, `${table}.phone`, `${table}.email_sha256`]) assert.ok(storeFields.includes(f), `store field ${f} in ${storeFields}`);
  assert.ok(list(store, 'sst.fingerprints').includes(emailFp), 'store carries the collected email id');
  assert.ok(list(store, 'sst.transforms').some((t) => t.endsWith('sha256')), `sha256 transform: ${list(store, 'sst.transforms')}`);
  assert.ok(eventFp(store, 'sst.match', 'email', `${table}.email_sha256`).includes(emailFp), 'the stored sha256 is the same person');
  assert.ok((store.attributes['sst.match.count'] as number) >= 4);

  // load: both people read back under table.column, tagged.
  assert.equal(load.attributes['sst.flow'], 'load');
  const loadFields = list(load, 'sst.fields');
  assert.ok(loadFields.includes(`${table}.email`), `load fields ${loadFields}`);
  assert.ok(loadFields.includes(`${table}.name`), `load fields ${loadFields}`);
  const loadEmails = eventFp(load, 'sst.tag', 'email');
  assert.ok(loadEmails.includes(emailFp), 'load carries the collected email id');
  assert.equal(loadEmails.length, 2, 'two people loaded');
  const seededFp = loadEmails.find((f) => f !== emailFp)!;

  // share: the job's mail to SendGrid carries both, the DB-only person through the load.
  assert.equal(share.attributes['sst.flow'], 'share');
  const shareFps = list(share, 'sst.fingerprints');
  assert.ok(shareFps.includes(emailFp), 'share carries the collected email id');
  assert.ok(shareFps.includes(seededFp), 'share carries the id of the person only the DB knew (registered at load)');
  for (const s of [collect, store, load, share]) assert.ok(list(s, 'sst.fingerprints').includes(emailFp), `${s.name} in the chain`);

  // negatives: the products query has no sst.* attribute at all.
  assert.ok(res.products.length >= 1, 'the products query has a span');
  for (const p of res.products) assert.deepEqual(Object.keys(p.attributes).filter((k) => k.startsWith('sst.')), [], 'no sst.* on a query without personal data');

  // never leak: no raw value or unkeyed hash in any exported span.
  const dump = JSON.stringify(res.spans.map((s) => ({ n: s.name, a: s.attributes, e: s.events })));
  const em = REGISTERED.email.trim().toLowerCase();
  for (const needle of [REGISTERED.email, em, SEEDED.email, sha256(em), sha256(SEEDED.email), '4155550142', 'Lina Park', 'Omar Haddad']) {
    assert.equal(dump.includes(needle), false, `exported spans contain a protected value (${needle.length} chars)`);
  }
}

// An ORM on top of pg: knex builds the SQL (quoted identifiers, `returning`, batch inserts) and
// the pg driver instrumentation sees and classifies its queries like hand-written ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind } from '@opentelemetry/api';
import { startSst } from './scenario';
import { PGURL, unreachable } from './servers';

test('knex over pg: inserts are store spans, selects are load spans, with table.column fields', async (t) => {
  const why = await unreachable(PGURL, 5432);
  if (why) { t.skip(`PostgreSQL not reachable (PGURL): ${why}`); return; }
  const st = startSst();
  const table = `knex_people_${process.pid}`;
  const knex = (require('knex') as typeof import('knex')).knex({ client: 'pg', connection: PGURL, pool: { min: 0, max: 2 } });
  try {
    await knex.schema.createTable(table, (tb) => { tb.increments('id'); tb.string('email'); tb.string('first_name'); tb.string('mobile'); });
    const [row] = await knex(table).insert({ email: 'tess.ortiz@example.com', first_name: 'Tess', mobile: '+1 305 555 0166' }).returning(['id']);
    assert.equal(typeof row.id, 'number');
    await knex.batchInsert(table, [
      { email: 'ula.berg@example.com', first_name: 'Ula', mobile: null },
      { email: 'vic.hale@example.com', first_name: 'Vic', mobile: null },
    ], 10);
    await knex(table).where({ id: row.id }).update({ mobile: '+1 305 555 0199' });
    const people = await knex(table).select({ mail: 'email' }, 'first_name').orderBy('id');
    assert.equal(people.length, 3);
    assert.equal(people[0].mail, 'tess.ortiz@example.com');
    await st.handle.forceFlush();
    await new Promise((r) => setTimeout(r, 20));
    await st.handle.forceFlush();
    const db = st.exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT && s.attributes['db.system.name'] === 'postgresql');
    const q = (s: (typeof db)[number]) => String(s.attributes['db.query.text']);
    const inserts = db.filter((s) => /^insert into/i.test(q(s)) && q(s).includes(table));
    assert.equal(inserts.length, 2, `two INSERTs: ${db.map(q).join(' | ')}`);
    for (const s of inserts) {
      assert.equal(s.attributes['sst.flow'], 'store', q(s));
      assert.ok((s.attributes['sst.fields'] as string[]).includes(`${table}.email`), String(s.attributes['sst.fields']));
    }
    assert.equal((inserts[1].attributes['sst.subjects'] as string[]).length, 2, 'batch insert: one subject per row');
    const update = db.find((s) => /^update/i.test(q(s)) && q(s).includes(table));
    assert.deepEqual(update?.attributes['sst.fields'], [`${table}.mobile`]);
    assert.deepEqual(update?.attributes['sst.categories'], ['phone']);
    const select = db.find((s) => /^select/i.test(q(s)) && q(s).includes(table));
    assert.equal(select?.attributes['sst.flow'], 'load');
    assert.deepEqual([...(select?.attributes['sst.fields'] as string[])].sort(), [`${table}.email`, `${table}.first_name`]);
    const ddl = db.filter((s) => /^create table/i.test(q(s)));
    assert.ok(ddl.length >= 1);
    for (const s of ddl) assert.equal(s.attributes['sst.flow'], undefined);
  } finally {
    await knex.schema.dropTableIfExists(table).catch(() => undefined);
    await knex.destroy();
    await st.handle.shutdown();
  }
});

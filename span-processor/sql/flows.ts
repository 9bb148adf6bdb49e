// A DB call's capture → the `store` or `load` flow (semconv §1).
//  store: INSERT/UPDATE/UPSERT/REPLACE. Every written value (parameter or SQL literal) becomes a
//    leaf under `table.column`. Values that field-name rules or validators call personal are
//    registered first (one subject per written row), so data never seen at ingress is still
//    caught when it leaves later; then the leaves are matched against the registry like egress,
//    which also finds hashed/encoded forms (a stored sha256 of an email is transform `sha256`).
//  load: SELECT (or any statement returning rows that is not a write). Each returned row is tagged
//    like an ingress payload under `table.column` and its values enter the registry, so a job that
//    reads users and then calls a vendor is caught.
// Statements with nothing to inspect return null before any parsing.
import { createHash } from 'node:crypto';
import type { DbCapture, Leaf, Registry, ShareMatch, TaggedValue } from '../types';
import { LOW_ENTROPY, SUBJECT_ORDER } from '../types';
import type { Tag } from '../engine';
import { createContext } from '../decode/options';
import { walkJson } from '../decode/json-walk';
import { Lru, sqlShape, type SqlShape } from './index';

export interface DbFlowDeps {
  readonly registry: Registry;
  readonly matchOptions: { shareUserAgent?: boolean };
  detectLeaves(leaves: readonly Leaf[]): TaggedValue[];
  matchLeaves(leaves: Leaf[]): ShareMatch[];
}

export type DbResult =
  | { flow: 'store'; matches: ShareMatch[]; truncated: boolean; errors: string[] }
  | { flow: 'load'; tags: Tag[]; truncated: boolean; errors: string[] };

/** Leaves per call: rows beyond it are not inspected (reported truncated). */
const MAX_LEAVES = 50_000;

/** Apps read the same rows again and again (a user's profile on every request); detection and
 *  registration of a row are remembered for a while, keyed by its fields and values, so a repeated
 *  load costs one lookup. Entries expire so the registry's TTL keeps being refreshed. */
const ROW_CACHE_SIZE = 20_000;
const ROW_CACHE_MS = 5 * 60_000;
interface RowMemo { tags: Tag[]; errors: string[]; at: number }
const rowCaches = new WeakMap<DbFlowDeps, Lru<RowMemo>>();

export function dbFlow(c: DbCapture, deps: DbFlowDeps): DbResult | null {
  const hasParams = c.params.length > 0 || (c.named !== undefined && Object.keys(c.named).length > 0);
  const hasRows = !!c.rows && c.rows.length > 0;
  const mayHaveLiterals = c.statement.includes("'") || (c.system === 'mysql' && c.statement.includes('"'));
  if (!hasParams && !hasRows && !mayHaveLiterals) return null;
  const shape = sqlShape(c.statement, c.system);
  if (shape.write) return store(c, shape, deps);
  if (hasRows) return load(c, shape, deps);
  return null;
}

// ------------------------------------------------------------------------------------------------
// store

function store(c: DbCapture, shape: SqlShape, deps: DbFlowDeps): DbResult | null {
  const rows = new Map<number, Leaf[]>();
  const add = (row: number, path: string, key: string, value: string | null | undefined) => {
    if (value === null || value === undefined || value === '') return;
    let list = rows.get(row);
    if (!list) rows.set(row, (list = []));
    pushValue(list, path, key, value);
  };
  const table = shape.table;
  const usedSlots = new Set<number>();
  const usedNames = new Set<string>();
  for (const w of shape.written) {
    let value: string | null | undefined;
    let fallback: string;
    if (w.slot !== undefined) {
      const ref = shape.slots[w.slot];
      if (!ref) continue;
      if ('index' in ref) { value = c.params[ref.index]; usedSlots.add(ref.index); fallback = `db.params[${ref.index + 1}]`; }
      else { value = namedValue(c, ref.name); usedNames.add(ref.name); fallback = `db.params.${ref.name}`; }
    } else {
      value = w.literal;
      fallback = 'db.literal';
    }
    const t = w.table ?? table;
    const path = w.column ? `${t ?? 'db'}.${w.column}` : t ? `${t}.?` : fallback;
    add(w.row, path, w.column ?? '', value);
  }
  // Values no parsed placeholder accounts for (an unparsed statement, mysql2 `SET ?` objects):
  // positional ones are column-less, named ones are read as column names.
  c.params.forEach((v, i) => { if (!usedSlots.has(i)) add(0, table ? `${table}.?` : `db.params[${i + 1}]`, '', v); });
  if (c.named) {
    for (const name in c.named) {
      if (usedNames.has(name)) continue;
      add(0, `${table ?? 'db'}.${name}`, name.toLowerCase(), c.named[name]);
    }
  }
  if (rows.size === 0) return null;
  const all: Leaf[] = [];
  for (const list of rows.values()) {
    // Registers what rules and validators recognise, with this row's strongest identifier as
    // its subject (a multi-row INSERT holds several people).
    tagRow(deps, list);
    for (const l of list) all.push(l);
  }
  const matches = deps.matchLeaves(all);
  if (matches.length === 0) return c.error ? { flow: 'store', matches, truncated: c.truncated, errors: [c.error] } : null;
  return { flow: 'store', matches, truncated: c.truncated, errors: c.error ? [c.error] : [] };
}

function namedValue(c: DbCapture, name: string): string | null | undefined {
  const n = c.named;
  if (!n) return undefined;
  if (name in n) return n[name];
  // better-sqlite3 takes `{ email }` for `@email`; some apps pass the prefixed key.
  for (const p of ['@', ':', '$']) if (p + name in n) return n[p + name];
  return undefined;
}

// ------------------------------------------------------------------------------------------------
// load

function load(c: DbCapture, shape: SqlShape, deps: DbFlowDeps): DbResult | null {
  const rows = c.rows!;
  const width = Math.max(c.columns?.length ?? 0, rows[0]?.length ?? 0);
  const fields: string[] = new Array(width);
  const keys: string[] = new Array(width);
  for (let j = 0; j < width; j++) {
    const name = c.columns?.[j] ?? shape.output[j]?.name ?? '';
    const f = fieldFor(name, j, shape, !!c.columns);
    fields[j] = f.path;
    keys[j] = f.key;
  }
  const tags: Tag[] = [];
  const errors: string[] = c.error ? [c.error] : [];
  let truncated = c.truncated || (c.rowCount ?? rows.length) > rows.length;
  let leavesLeft = MAX_LEAVES;
  let cache = rowCaches.get(deps);
  if (!cache) rowCaches.set(deps, (cache = new Lru<RowMemo>(ROW_CACHE_SIZE)));
  const fieldKey = fields.join('\u0001');
  const now = Date.now();
  for (const row of rows) {
    let key = fieldKey;
    for (let j = 0; j < row.length && j < width; j++) key += '\u0000' + (row[j] ?? '\u0002');
    let memo = cache.get(key);
    if (!memo || now - memo.at > ROW_CACHE_MS) {
      const leaves: Leaf[] = [];
      for (let j = 0; j < row.length && j < width; j++) {
        const v = row[j];
        if (v === null || v === '') continue;
        pushValue(leaves, fields[j], keys[j], v);
      }
      leavesLeft -= leaves.length;
      if (leavesLeft < 0) { truncated = true; break; }
      memo = { tags: leaves.length ? tagRow(deps, leaves) : [], errors: [], at: now };
      cache.set(key, memo);
    }
    for (const t of memo.tags) tags.push(t);
    if (memo.errors.length) errors.push(...memo.errors);
  }
  if (tags.length === 0 && errors.length === 0) return null;
  return { flow: 'load', tags, truncated, errors };
}

// ------------------------------------------------------------------------------------------------
// tagging a row

/**
 * Tags one row's values and indexes them, like a request at collect, with two differences that
 * keep the registry's attribution right when the same people are written and read many times:
 *  - a row whose best identifier is a user id already known (a `sessions` row) belongs to that
 *    id's subject, not to a new one made of the id;
 *  - low-entropy values (gender, city, zip …) are indexed only when new: re-indexing "f" for every
 *    loaded row would hand it to whoever was read last.
 */
export function tagRow(deps: DbFlowDeps, leaves: readonly Leaf[]): Tag[] {
  const values = deps.detectLeaves(leaves);
  if (values.length === 0) return [];
  addPeopleTableIds(leaves, values);
  const reg = deps.registry;
  let subject: string | undefined;
  for (const cat of SUBJECT_ORDER) {
    const v = values.find((t) => t.category === cat);
    if (!v) continue;
    if (cat === 'user_id') {
      const known = knownSubject(reg, v.value, cat);
      if (known) { subject = known; break; }
    }
    const f = reg.register({ category: v.category, value: v.value, region: v.region });
    if (f) { subject = f.fp; break; }
  }
  if (subject === undefined) {
    let best: TaggedValue | undefined;
    for (const v of values) if (v.category === 'name' && (!best || v.value.trim().length > best.value.trim().length)) best = v;
    if (best) subject = reg.fingerprint('name', best.value)?.fp;
  }
  const tags: Tag[] = [];
  for (const v of values) {
    const indexIt = (v.category !== 'user_agent' || deps.matchOptions.shareUserAgent === true)
      && (!LOW_ENTROPY.has(v.category) || !isIndexed(reg, v));
    const r = indexIt
      ? reg.register({ category: v.category, value: v.value, subject, region: v.region })
      : reg.fingerprint(v.category, v.value, v.region);
    if (r) tags.push(subject ? { fp: r.fp, category: v.category, field: v.field, subject } : { fp: r.fp, category: v.category, field: v.field });
  }
  return tags;
}

/** Tables that hold people: `users`, `app_customers`, `members_2024`, … */
const PEOPLE_TABLE = /(?:^|_)(?:users?|customers?|members?|accounts?|people|persons?|profiles?|contacts?|clients?|patients?|employees?|subscribers?)(?:_|$)/i;

/** The `id` of a people table is the person's user id (what `orders.user_id` points to), so the
 *  rows that only carry that id (sessions, orders) are tied to the person. */
function addPeopleTableIds(leaves: readonly Leaf[], values: TaggedValue[]): void {
  for (const l of leaves) {
    if (l.key !== 'id' || !l.value) continue;
    const dot = l.path.lastIndexOf('.');
    if (dot <= 0 || !PEOPLE_TABLE.test(l.path.slice(0, dot))) continue;
    if (values.some((v) => v.field === l.path)) continue;
    values.push({ category: 'user_id', field: l.path, value: l.value });
  }
}

function knownSubject(reg: Registry, value: string, category: string): string | undefined {
  for (const token of [value, value.trim(), value.trim().toLowerCase()]) {
    const hit = reg.lookupPlain(token)?.find((h) => h.category === category && h.subject !== undefined);
    if (hit) return hit.subject;
  }
  return undefined;
}

/** Is the value already in the index under its id? Short canonical forms (`f`) are only indexed
 *  hashed, so the sha256 of the canonical form is the last check. */
function isIndexed(reg: Registry, v: TaggedValue): boolean {
  const f = reg.fingerprint(v.category, v.value, v.region);
  if (!f) return false;
  const t = v.value.trim();
  for (const token of [t, t.toLowerCase(), f.canonical]) {
    if (reg.lookupPlain(token)?.some((h) => h.fp === f.fp)) return true;
  }
  return reg.lookupDigest(createHash('sha256').update(f.canonical).digest())?.some((h) => h.fp === f.fp) === true;
}

/** Result column → `table.column` through the SELECT list / RETURNING (aliases, joins). */
function fieldFor(name: string, index: number, shape: SqlShape, byName: boolean): { path: string; key: string } {
  const lower = name.toLowerCase();
  let out = byName ? shape.output.find((o) => o.name.toLowerCase() === lower) : shape.output[index];
  if (!out && byName && shape.output.length > 0 && shape.starTables.length === 0) out = shape.output[index];
  if (out && out.column) {
    const t = out.table ?? shape.table;
    return { path: `${t ?? 'db'}.${out.column}`, key: out.column.toLowerCase() };
  }
  // better-sqlite3 .expand() already names the table.
  if (name.includes('.')) return { path: name, key: lower.slice(lower.lastIndexOf('.') + 1) };
  const t = shape.starTables.length === 1 ? shape.starTables[0] : (out?.table ?? shape.table);
  return { path: `${t ?? 'db'}.${name || `[${index}]`}`, key: lower };
}

/** A value, or the leaves of a JSON document stored in it (`users.profile.email`). */
function pushValue(out: Leaf[], path: string, key: string, value: string): void {
  const c0 = value.charCodeAt(0);
  if ((c0 === 123 /* { */ || c0 === 91 /* [ */) && value.length > 1) {
    let doc: unknown;
    try { doc = JSON.parse(value); } catch { doc = undefined; }
    if (doc !== undefined && typeof doc === 'object' && doc !== null) {
      const ctx = createContext({ maxLeaves: 500 });
      walkJson(ctx, doc, path, key, [], 0);
      for (const l of ctx.leaves) out.push(l);
      return;
    }
  }
  out.push({ path, key, value, layers: [] });
}

// What the loader has already read, kept in the store itself (table sst_ingest_state) so that a
// wiped or replaced store starts over instead of trusting a stale file: per input file, the byte
// offset after the last complete line, the line count, and what identifies the file (device,
// inode, a hash of its first bytes) so a rotated or rewritten file is read again from the start.
import { createHash } from 'node:crypto';
import type { Store } from './client';

export interface FileState {
  path: string;
  device: string;
  inode: string;
  /** Bytes consumed (always at a line boundary). */
  offset: number;
  /** Lines consumed, for line numbers in messages. */
  lines: number;
  /** sha256 of the first headLength bytes: a rewritten file with the same inode differs here. */
  headHash: string;
  headLength: number;
  /** (TraceId, SpanId) keys of the last line read: a line the spool wrote twice at exit is skipped
   *  even when the two copies are read by different loads. */
  lastKeys: string[];
}

export const STATE_TABLE = 'sst_ingest_state';
export const HEAD_BYTES = 4096;
export const MAX_LAST_KEYS = 4096;

export async function ensureStateTable(store: Store): Promise<void> {
  await store.exec(`CREATE TABLE IF NOT EXISTS ${store.database}.${STATE_TABLE} (
    Path String,
    Device String,
    Inode String,
    Offset UInt64,
    Lines UInt64,
    HeadHash String,
    HeadLength UInt32,
    LastKeys Array(String),
    UpdatedAt DateTime64(6)
  ) ENGINE = ReplacingMergeTree(UpdatedAt) ORDER BY Path`);
}

export async function readStates(store: Store): Promise<Map<string, FileState>> {
  const rows = await store.query<{
    Path: string; Device: string; Inode: string; Offset: number | string; Lines: number | string;
    HeadHash: string; HeadLength: number | string; LastKeys: string[];
  }>(`SELECT Path, argMax(Device, UpdatedAt) AS Device, argMax(Inode, UpdatedAt) AS Inode,
        argMax(Offset, UpdatedAt) AS Offset, argMax(Lines, UpdatedAt) AS Lines,
        argMax(HeadHash, UpdatedAt) AS HeadHash, argMax(HeadLength, UpdatedAt) AS HeadLength,
        argMax(LastKeys, UpdatedAt) AS LastKeys
      FROM ${store.database}.${STATE_TABLE} GROUP BY Path`);
  const out = new Map<string, FileState>();
  for (const r of rows) {
    out.set(r.Path, {
      path: r.Path, device: r.Device, inode: r.Inode, offset: Number(r.Offset), lines: Number(r.Lines),
      headHash: r.HeadHash, headLength: Number(r.HeadLength), lastKeys: r.LastKeys ?? [],
    });
  }
  return out;
}

/** Microsecond timestamps strictly increasing within this process, so ReplacingMergeTree keeps
 *  the newest row even for two saves in the same millisecond. */
let lastStamp = 0;
function stamp(): number {
  const now = Date.now() * 1000;
  lastStamp = now > lastStamp ? now : lastStamp + 1;
  return lastStamp;
}

export async function saveStates(store: Store, states: Iterable<FileState>): Promise<void> {
  const rows = [];
  for (const s of states) {
    const t = stamp();
    rows.push({
      Path: s.path, Device: s.device, Inode: s.inode, Offset: s.offset, Lines: s.lines,
      HeadHash: s.headHash, HeadLength: s.headLength, LastKeys: s.lastKeys.slice(-MAX_LAST_KEYS),
      UpdatedAt: `${Math.floor(t / 1e6)}.${String(t % 1e6).padStart(6, '0')}`,
    });
  }
  if (rows.length) await store.insert(STATE_TABLE, rows);
}

export function headHash(head: Buffer): string {
  return createHash('sha256').update(head).digest('hex');
}

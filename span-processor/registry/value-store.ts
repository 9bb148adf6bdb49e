// Per-value records of the registry in typed-array columns instead of one object each: ~61 bytes a
// value and no string at all (the registry keeps hashes of a value's keys, the first 17 bytes of
// its fingerprint HMAC, and its subject in packed form). Also the LRU order, a doubly linked list
// through `prev` / `next`, and the slot life cycle: live → dead (evicted; its index entries are
// still to be purged) → free (reusable once no index entry can point at it any more).

const MIN_CAPACITY = 64;
const GROWTH = 1.25;
/** Up to this many slots the columns grow by copying (≤ 1 MB, well under a millisecond); past it
 *  they jump to the owner's reserve at once. Copying a full 64 MB registry's columns held the
 *  event loop for ~9 ms (~40 ms under the soak's profiler; docs/reliability.md). */
const COPY_GROWTH_SLOTS = 16384;
/** Reserve at most 1 GB of columns, whatever the cap. */
const MAX_RESERVE = 1 << 24;
/** Bytes of a fingerprint id kept per value: 22 base64url chars = 132 bits, inside 17 bytes. */
export const FP_BYTES = 17;
const FP_CHARS = 22;
/** Per-value bytes of the columns below. */
export const COLUMN_BYTES = 2 + 1 + 8 + 4 + 4 + 2 + 4 + 1 + FP_BYTES + 1 + FP_BYTES;
/** A subject in fingerprint form (what the engine passes): 22 base64url chars. */
const SUBJECT_NONE = 0;
const SUBJECT_PACKED = 1;
const SUBJECT_OTHER = 2;

const NONE = -1;
export const NO_VALUE = NONE;

export const SLOT_FREE = 0;
export const SLOT_LIVE = 1;
export const SLOT_DEAD = 2;

export class ValueStore {
  // All columns are views of one ArrayBuffer, widest elements first so every view is aligned. A
  // buffer past glibc's mmap threshold (at most 32 MB) is a fresh anonymous mapping that calloc
  // does not clear: its pages cost no RSS until a slot on them is first written, so reserving for
  // the byte cap costs address space, not memory.
  /** LRU clock (ms). */
  declare touched: Float64Array;
  /** Hash of the first raw spelling indexed (see `spellings`). */
  declare spelling: Uint32Array;
  declare prev: Int32Array;
  declare next: Int32Array;
  /** Category number (see the registry's category table). */
  declare cat: Uint16Array;
  /** Index entries that point at the value (for byte accounting and purge bookkeeping). */
  declare keys: Uint16Array;
  /** Raw spellings indexed (≤ 4); the first one's hash is in `spelling`, the others in `moreSpellings`. */
  declare spellings: Uint8Array;
  declare state: Uint8Array;
  /** Subject: none, packed into `subjectFp`, or in `otherSubjects`. */
  declare subjectKind: Uint8Array;
  declare fp: Uint8Array;
  declare subjectFp: Uint8Array;
  moreSpellings = new Map<number, number[]>();
  /** Subjects not in fingerprint form (only from direct API use). */
  otherSubjects = new Map<number, string>();

  head = NONE;
  tail = NONE;
  live = 0;
  private top = 0;
  private free: number[] = [];

  private readonly reserve: number;

  /** `reserve`: slots for the most values the owner's byte cap allows; the columns are sized for
   *  it once they pass COPY_GROWTH_SLOTS, so a store that fills up never copies large columns. */
  constructor(reserve = 0) {
    this.reserve = Math.min(Math.floor(reserve) || 0, MAX_RESERVE);
    this.layout(MIN_CAPACITY);
  }

  capacity(): number {
    return this.touched.length;
  }

  /** Bytes of the allocated columns (capacity, for the benchmark's cross-check; past the jump to
   *  the reserve, the pages of slots never written are address space only). */
  capacityBytes(): number {
    return this.capacity() * COLUMN_BYTES;
  }

  /** Bytes of the slots ever used: the columns' pages that hold data (the rest of a reserve is
   *  address space the OS has not backed yet). */
  usedBytes(): number {
    return this.top * COLUMN_BYTES;
  }

  isLive(i: number): boolean {
    return this.state[i] === SLOT_LIVE;
  }

  /** A fresh slot at the recent end of the LRU list. */
  allocate(now: number): number {
    let i = this.free.pop();
    if (i === undefined) {
      if (this.top === this.capacity()) this.grow();
      i = this.top++;
    }
    this.live++;
    this.state[i] = SLOT_LIVE;
    this.touched[i] = now;
    this.keys[i] = 0;
    this.spellings[i] = 0;
    this.append(i);
    return i;
  }

  /** Live → dead: out of the LRU list, not found any more; the slot is not reused yet. */
  kill(i: number): void {
    this.unlink(i);
    this.setSubject(i, undefined);
    this.moreSpellings.delete(i);
    this.state[i] = SLOT_DEAD;
    this.live--;
  }

  /** Dead → free, once the indexes hold no entry for it. */
  release(i: number): void {
    this.state[i] = SLOT_FREE;
    this.free.push(i);
  }

  touch(i: number, now: number): void {
    this.touched[i] = now;
    if (this.tail === i) return;
    this.unlink(i);
    this.append(i);
  }

  hasSpelling(i: number, hash: number): boolean {
    if (this.spellings[i] > 0 && this.spelling[i] === hash) return true;
    return this.moreSpellings.get(i)?.includes(hash) ?? false;
  }

  /** Records another spelling's hash; returns its index. */
  addSpelling(i: number, hash: number): number {
    const k = this.spellings[i];
    if (k === 0) this.spelling[i] = hash;
    else {
      const more = this.moreSpellings.get(i);
      if (more) more.push(hash);
      else this.moreSpellings.set(i, [hash]);
    }
    this.spellings[i] = k + 1;
    return k;
  }

  subject(i: number): string | undefined {
    const kind = this.subjectKind[i];
    if (kind === SUBJECT_NONE) return undefined;
    if (kind === SUBJECT_OTHER) return this.otherSubjects.get(i);
    return packedString(this.subjectFp, i);
  }

  /** Bytes a subject costs beyond the fixed columns (only text not in fingerprint form). */
  subjectBytes(i: number): number {
    return this.subjectKind[i] === SUBJECT_OTHER ? this.otherSubjects.get(i)!.length * 2 : 0;
  }

  setSubject(i: number, subject: string | undefined): void {
    if (this.subjectKind[i] === SUBJECT_OTHER) this.otherSubjects.delete(i);
    if (subject === undefined) {
      this.subjectKind[i] = SUBJECT_NONE;
    } else if (unpackInto(subject, this.subjectFp, i * FP_BYTES)) {
      this.subjectKind[i] = SUBJECT_PACKED;
    } else {
      this.otherSubjects.set(i, subject);
      this.subjectKind[i] = SUBJECT_OTHER;
    }
  }

  setFp(i: number, digest: Uint8Array): void {
    this.fp.set(digest.subarray(0, FP_BYTES), i * FP_BYTES);
  }

  fpString(i: number): string {
    return packedString(this.fp, i);
  }

  clear(): void {
    Object.assign(this, new ValueStore(this.reserve));
  }

  private append(i: number): void {
    this.prev[i] = this.tail;
    this.next[i] = NONE;
    if (this.tail !== NONE) this.next[this.tail] = i;
    else this.head = i;
    this.tail = i;
  }

  private unlink(i: number): void {
    const p = this.prev[i];
    const n = this.next[i];
    if (p !== NONE) this.next[p] = n;
    else this.head = n;
    if (n !== NONE) this.prev[n] = p;
    else this.tail = p;
    this.prev[i] = NONE;
    this.next[i] = NONE;
  }

  private grow(): void {
    const cap = this.capacity();
    const next = Math.ceil(cap * GROWTH);
    if (cap >= COPY_GROWTH_SLOTS && this.reserve > next) {
      try {
        this.layout(this.reserve, this.top);
        return;
      } catch {
        // The address space was refused (a huge cap, a strict overcommit policy): grow by copies.
      }
    }
    this.layout(next, this.top);
  }

  /** Fresh columns for `cap` slots, the first `keep` slots copied over. */
  private layout(cap: number, keep = 0): void {
    const buffer = new ArrayBuffer(cap * COLUMN_BYTES);
    let at = 0;
    const view = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(
      Kind: { new(b: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number }, old: T | undefined, perSlot = 1,
    ): T => {
      const column = new Kind(buffer, at, cap * perSlot);
      at += cap * perSlot * Kind.BYTES_PER_ELEMENT;
      if (old && keep > 0) column.set(old.subarray(0, keep * perSlot) as never);
      return column;
    };
    this.touched = view(Float64Array, this.touched);
    this.spelling = view(Uint32Array, this.spelling);
    this.prev = view(Int32Array, this.prev);
    this.next = view(Int32Array, this.next);
    this.cat = view(Uint16Array, this.cat);
    this.keys = view(Uint16Array, this.keys);
    this.spellings = view(Uint8Array, this.spellings);
    this.state = view(Uint8Array, this.state);
    this.subjectKind = view(Uint8Array, this.subjectKind);
    this.fp = view(Uint8Array, this.fp, FP_BYTES);
    this.subjectFp = view(Uint8Array, this.subjectFp, FP_BYTES);
  }
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_CODES = Array.from(B64URL, (c) => c.charCodeAt(0));
const fpCodes: number[] = new Array(FP_CHARS).fill(0);

/** The 22 base64url chars of 17 packed bytes, in one flat string (hits build one per lookup). */
function packedString(column: Uint8Array, i: number): string {
  const o = i * FP_BYTES;
  let c = 0;
  for (let b = 0; b < 15; b += 3) {
    const n = (column[o + b] << 16) | (column[o + b + 1] << 8) | column[o + b + 2];
    fpCodes[c++] = B64URL_CODES[n >>> 18];
    fpCodes[c++] = B64URL_CODES[(n >>> 12) & 63];
    fpCodes[c++] = B64URL_CODES[(n >>> 6) & 63];
    fpCodes[c++] = B64URL_CODES[n & 63];
  }
  const n = (column[o + 15] << 16) | (column[o + 16] << 8);
  fpCodes[c++] = B64URL_CODES[n >>> 18];
  fpCodes[c] = B64URL_CODES[(n >>> 12) & 63];
  return String.fromCharCode.apply(null, fpCodes);
}

/** base64url char code → its 6 bits, -1 for other codes. */
const B64URL_BITS = new Int8Array(128).fill(-1);
for (let k = 0; k < 64; k++) B64URL_BITS[B64URL.charCodeAt(k)] = k;

/** Writes the 17 bytes a 22-char base64url id packs into (132 bits, the last 4 zero) at `o`; false
 *  (nothing written) if `text` is not such an id. The inverse of `packedString`, without the
 *  Buffer and the string concatenation a decode by Buffer.from costs per registration. */
function unpackInto(text: string, column: Uint8Array, o: number): boolean {
  if (text.length !== 22) return false;
  let bad = 0;
  for (let k = 0; k < 22; k++) {
    const c = text.charCodeAt(k);
    bad |= c < 128 ? B64URL_BITS[c] : -1;
  }
  if (bad < 0) return false;
  let c = 0;
  for (let b = 0; b < 15; b += 3) {
    const n = (B64URL_BITS[text.charCodeAt(c)] << 18) | (B64URL_BITS[text.charCodeAt(c + 1)] << 12)
      | (B64URL_BITS[text.charCodeAt(c + 2)] << 6) | B64URL_BITS[text.charCodeAt(c + 3)];
    c += 4;
    column[o + b] = n >>> 16;
    column[o + b + 1] = (n >>> 8) & 255;
    column[o + b + 2] = n & 255;
  }
  const n = (B64URL_BITS[text.charCodeAt(20)] << 18) | (B64URL_BITS[text.charCodeAt(21)] << 12);
  column[o + 15] = n >>> 16;
  column[o + 16] = (n >>> 8) & 255;
  return true;
}

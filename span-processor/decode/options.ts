// Limits and the mutable state one decode call shares between its parsers. Every parser checks the
// same budget, so a hostile payload cannot multiply work by nesting (JSON in base64 in gzip …).
import type { Leaf } from '../types';

export interface DecodeOptions {
  /** Nested layers (JSON inside a string, base64 blob, gzip/deflate/br). Default 3. */
  maxDepth?: number;
  /** Default 5000. */
  maxLeaves?: number;
  /** Cap on decompressed / decoded bytes in total (decompression bombs). Default 4 MiB. */
  maxBytes?: number;
  /** Egress: also expand JSON-in-string, base64/base64url blobs, urlencoded strings, URLs. Default false. */
  nested?: boolean;
}

export type DecodeKind = 'json' | 'form' | 'multipart' | 'text' | 'binary' | 'empty';

export interface DecodeResult {
  leaves: Leaf[];
  truncated: boolean;
  errors: string[];
  kind: DecodeKind;
}

export const DEFAULT_MAX_DEPTH = 3;
export const DEFAULT_MAX_LEAVES = 5000;
export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
/** JSON nesting deeper than this is not walked (stack safety); the rest is reported as truncated. */
export const MAX_JSON_LEVEL = 64;
/** Containers and scalars visited per leaf allowed, so `[null,null,…]` cannot spin forever. */
const NODES_PER_LEAF = 20;

/** Expands one string leaf into nested leaves (egress only); injected to keep parsers acyclic. */
export type StringExpander = (ctx: DecodeContext, value: string, path: string, key: string, layers: string[], depth: number) => void;

export interface DecodeContext {
  readonly maxDepth: number;
  readonly maxLeaves: number;
  readonly maxBytes: number;
  readonly nested: boolean;
  readonly leaves: Leaf[];
  readonly errors: string[];
  bytesUsed: number;
  nodesLeft: number;
  truncated: boolean;
  expand: StringExpander | null;
}

function positiveInt(v: number | undefined, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : dflt;
}

export function createContext(opts: DecodeOptions | undefined): DecodeContext {
  const maxLeaves = positiveInt(opts?.maxLeaves, DEFAULT_MAX_LEAVES);
  return {
    maxDepth: positiveInt(opts?.maxDepth, DEFAULT_MAX_DEPTH),
    maxLeaves,
    maxBytes: positiveInt(opts?.maxBytes, DEFAULT_MAX_BYTES),
    nested: opts?.nested === true,
    leaves: [],
    errors: [],
    bytesUsed: 0,
    nodesLeft: Math.max(1000, maxLeaves * NODES_PER_LEAF),
    truncated: false,
    expand: null,
  };
}

/** True when no more leaves may be added (and marks the result truncated). */
export function isFull(ctx: DecodeContext): boolean {
  if (ctx.leaves.length >= ctx.maxLeaves) {
    ctx.truncated = true;
    return true;
  }
  return false;
}

/** Adds a leaf unless empty or over the cap. Returns false when the cap was hit. */
export function pushLeaf(ctx: DecodeContext, path: string, key: string, value: string, layers: string[]): boolean {
  if (isFull(ctx)) return false;
  if (value.length > 0) ctx.leaves.push({ path, key, value, layers });
  return true;
}

/** Reserves decoded bytes from the shared budget; false (and truncated) when it would overflow. */
export function reserveBytes(ctx: DecodeContext, n: number): boolean {
  if (ctx.bytesUsed + n > ctx.maxBytes) {
    ctx.truncated = true;
    return false;
  }
  ctx.bytesUsed += n;
  return true;
}

export function addError(ctx: DecodeContext, message: string): void {
  if (ctx.errors.length < 16 && !ctx.errors.includes(message)) ctx.errors.push(message);
}

export function toResult(ctx: DecodeContext, kind: DecodeKind): DecodeResult {
  return { leaves: ctx.leaves, truncated: ctx.truncated, errors: ctx.errors, kind };
}

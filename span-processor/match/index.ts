// Egress capture → share matches (semconv §5): finds registered values and their normalized,
// hashed and encoded forms anywhere in an outgoing call, with no per-vendor code.
import type { Leaf, MatchResult, Registry } from '../types';
import { matchLeavesWith, newScanEnv } from './leaves';
import type { MatchOptions } from './options';

export type { MatchOptions } from './options';
export type { ValueRange } from './ranges';
export { matchEgress } from './egress';
export { findValueRanges } from './ranges';

/** Matches already-decoded leaves (DB parameters, LLM messages) against the registry. */
export function matchLeaves(leaves: Leaf[], registry: Registry, opts: MatchOptions): MatchResult {
  return matchLeavesWith(newScanEnv(registry, opts), Array.isArray(leaves) ? leaves : [], opts);
}

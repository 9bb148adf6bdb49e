// Leaves → candidate hits → share matches (policy, transform, dedupe on (fp, field)).
import type { Leaf, MatchResult, Registry, ShareMatch } from '../types';
import { keepMask, type Candidate } from './policy';
import { phoneRegion } from './phone';
import { scanText, type ScanEnv, type TokenEncoding } from './scan';
import { transformOf } from './transform';
import { anchoredBefore } from './anchors';
import type { MatchOptions } from './options';

const DEFAULT_MAX_TOKENS = 50000;
/** Hits kept for the policy pass; beyond this the capture is reported truncated. */
const MAX_CANDIDATES = 10000;

interface LeafCandidate extends Candidate {
  encoding: TokenEncoding;
  layers: readonly string[];
}

export function newScanEnv(registry: Registry, opts: MatchOptions): ScanEnv {
  const max = opts.maxTokens;
  return {
    registry,
    region: phoneRegion(opts.defaultPhoneRegion),
    tokensLeft: typeof max === 'number' && max >= 0 ? max : DEFAULT_MAX_TOKENS,
    truncated: false,
  };
}

export function matchLeavesWith(env: ScanEnv, leaves: readonly Leaf[], opts: MatchOptions): MatchResult {
  const errors: string[] = [];
  const cands: LeafCandidate[] = [];
  let capped = false;
  try {
    for (const leaf of leaves) {
      if (env.truncated || capped) break;
      const value = leaf.value;
      if (typeof value !== 'string') continue;
      scanText(env, value, true, (start, end, hits, encoding, kind, weakWord) => {
        // one token for all the hits of a range (a first name shared by many people)
        const token = value.slice(start, end).toLowerCase();
        for (const hit of hits) {
          if (cands.length >= MAX_CANDIDATES) {
            capped = true;
            return;
          }
          const c: LeafCandidate = { hit, field: leaf.path, key: leaf.key, token, kind, weakWord, encoding, layers: leaf.layers };
          if ((kind === 'number' || kind === 'word') && anchoredBefore(value, start, hit.category)) c.anchored = true;
          cands.push(c);
        }
      });
    }
  } catch {
    errors.push('matching failed');
  }
  const keep = keepMask(cands, { shareUserAgent: opts.shareUserAgent === true });
  const seen = new Set<string>();
  const matches: ShareMatch[] = [];
  for (let i = 0; i < cands.length; i++) {
    if (!keep[i]) continue;
    const c = cands[i];
    const id = `${c.hit.fp}\u0000${c.field}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const m: ShareMatch = { fp: c.hit.fp, category: c.hit.category, field: c.field, transform: transformOf(c.hit, c.encoding, c.layers) };
    if (c.hit.subject !== undefined) m.subject = c.hit.subject;
    matches.push(m);
  }
  return { matches, truncated: env.truncated || capped, errors };
}

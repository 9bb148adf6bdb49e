// What a vendor case generator returns: the outgoing request, the fields the incoming request must
// collect for it, and the labels placed while the payload was built.
import type { ExpectedNonShare, ExpectedShare } from './case-format';
import type { Field } from './ingress';
import type { Person } from './people';
import type { Rng } from './prng';

export interface GenCtx {
  rng: Rng;
  /** The person whose request is collected. */
  p: Person;
  /** Somebody else (never collected in this case). */
  other: Person;
}

/** Labels, one per category (the first placement wins: it names the main disguise). */
export class Shares {
  readonly list: ExpectedShare[] = [];
  add(category: string, fieldHint: string, transform: string): this {
    if (!this.list.some((s) => s.category === category)) this.list.push({ category, fieldHint, transform });
    return this;
  }
}

export interface EgressSpec {
  vendor: string;
  vendorKind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer | string;
  wants: Field[];
  shares: Shares;
  nonShares?: ExpectedNonShare[];
  note?: string;
}

export type VendorGen = (c: GenCtx) => EgressSpec;

export function jsonHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'node', ...extra };
}

export function formBody(pairs: ReadonlyArray<[string, string]>): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

export const nowSec = 1718000000;

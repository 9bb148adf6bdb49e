// ShareMatch.transform: how a value was disguised, chained outermost last.
import type { RegistryHit } from '../types';
import type { TokenEncoding } from './scan';

/** `variant[+digest][+encoding][+layers…]`, without a leading `plain` when anything follows. */
export function transformOf(hit: RegistryHit, encoding: TokenEncoding, layers: readonly string[]): string {
  let out = hit.variant === 'plain' ? '' : hit.variant;
  const add = (part: string): void => {
    out = out.length === 0 ? part : `${out}+${part}`;
  };
  if (hit.digest !== undefined) add(hit.digest);
  if (encoding !== '') add(encoding);
  for (const layer of layers) add(layer);
  return out.length === 0 ? 'plain' : out;
}

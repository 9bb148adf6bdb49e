// HMAC-SHA256 of fingerprint ids (semconv §3), the same bytes as fingerprint/fingerprint.ts computes,
// without a Hmac object per call: the key's inner and outer pads are prepared once and each id costs
// two one-shot hashes (crypto.hash, Node ≥ 20.12), about half the time of createHmac.
import * as crypto from 'node:crypto';

const BLOCK = 64;
/** Room for the longest canonical value (4096 chars, ≤ 3 UTF-8 bytes each). */
const MAX_MESSAGE_BYTES = 3 * 4096;

type OneShot = (alg: string, data: Uint8Array, enc: 'buffer') => Buffer;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

export type Fingerprinter = (canonical: string) => Buffer;

export function createFingerprinter(key: Buffer): Fingerprinter {
  const slow: Fingerprinter = (canonical) => crypto.createHmac('sha256', key).update(canonical, 'utf8').digest();
  if (typeof oneShot !== 'function') return slow;
  const k = key.length > BLOCK ? crypto.createHash('sha256').update(key).digest() : key;
  const inner = Buffer.alloc(BLOCK + MAX_MESSAGE_BYTES, 0);
  const outer = Buffer.alloc(BLOCK + 32, 0);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = 0x36 ^ (k[i] ?? 0);
    outer[i] = 0x5c ^ (k[i] ?? 0);
  }
  return (canonical) => {
    if (canonical.length > 4096) return slow(canonical);
    const n = inner.write(canonical, BLOCK, 'utf8');
    oneShot('sha256', inner.subarray(0, BLOCK + n), 'buffer').copy(outer, BLOCK);
    return oneShot('sha256', outer, 'buffer');
  };
}

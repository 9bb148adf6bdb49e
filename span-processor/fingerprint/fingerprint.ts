// Fingerprint id (semconv §3): keyed, so a fingerprint cannot be recomputed from a guessed value
// without the key, and 22 base64url chars (132 bits) keep span attributes short.
import { createHmac } from 'node:crypto';

export const FINGERPRINT_CHARS = 22;

export function fingerprintId(key: Buffer, canonical: string): string {
  return createHmac('sha256', key).update(canonical, 'utf8').digest('base64url').slice(0, FINGERPRINT_CHARS);
}

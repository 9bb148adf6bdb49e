export { loadKey, MIN_KEY_BYTES, type LoadedKey } from './key';
export { canonicalize, canonicalAmount, MAX_VALUE_CHARS } from './canonical';
export { fingerprintId, FINGERPRINT_CHARS } from './fingerprint';
export { variants, type Variant } from './variants';
export { parsePhone } from './phone';

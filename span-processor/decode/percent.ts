// Percent-decoding that never throws: malformed `%` escapes and invalid UTF-8 sequences stay as
// written. Optionally records, for every decoded UTF-16 unit, the index in the raw string where
// it came from, so matches in decoded text can be mapped back onto the raw text (scrubbing).

const PLUS_RE = /\+/g;

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Byte value of `%XX` at `s[i]` ('%' at i), or -1. */
function escapedByte(s: string, i: number): number {
  if (i + 2 >= s.length || s.charCodeAt(i) !== 37) return -1;
  const hi = hexVal(s.charCodeAt(i + 1));
  const lo = hexVal(s.charCodeAt(i + 2));
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}

const MIN_CP = [0, 0, 0x80, 0x800, 0x10000];

/** Code point of the UTF-8 sequence of `len` escaped bytes starting at i, or -1. */
function escapedCodePoint(s: string, i: number, lead: number, len: number): number {
  let cp = lead & (len === 2 ? 0x1f : len === 3 ? 0x0f : 0x07);
  for (let k = 1; k < len; k++) {
    const b = escapedByte(s, i + 3 * k);
    if (b < 0 || (b & 0xc0) !== 0x80) return -1;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < MIN_CP[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  return cp;
}

/**
 * Decodes `%XX` escapes (and `+` as space when `plusAsSpace`). With `map`, pushes one raw index
 * per output UTF-16 unit plus a final entry equal to `s.length`.
 */
export function percentDecode(s: string, plusAsSpace: boolean, map?: number[]): string {
  if (map === undefined) {
    const hasPct = s.indexOf('%') >= 0;
    const hasPlus = plusAsSpace && s.indexOf('+') >= 0;
    if (!hasPct) return hasPlus ? s.replace(PLUS_RE, ' ') : s;
    try {
      return decodeURIComponent(hasPlus ? s.replace(PLUS_RE, ' ') : s);
    } catch {
      // malformed escape somewhere: decode what is well formed, keep the rest
    }
  }
  let out = '';
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      const b0 = escapedByte(s, i);
      if (b0 >= 0 && b0 < 0x80) {
        out += String.fromCharCode(b0);
        map?.push(i);
        i += 3;
        continue;
      }
      const len = b0 >= 0xf0 && b0 < 0xf8 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 0;
      if (len > 0) {
        const cp = escapedCodePoint(s, i, b0, len);
        if (cp >= 0) {
          out += String.fromCodePoint(cp);
          map?.push(i);
          if (cp > 0xffff) map?.push(i);
          i += 3 * len;
          continue;
        }
      }
    } else if (c === 43 && plusAsSpace) {
      out += ' ';
      map?.push(i);
      i++;
      continue;
    }
    out += s[i];
    map?.push(i);
    i++;
  }
  map?.push(n);
  return out;
}

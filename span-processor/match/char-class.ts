// Character classes of the scanner's walks as one table lookup per char. The walks test every char
// of a payload against these classes; a chain of range comparisons branches differently on almost
// every char of prose (letter, space, punctuation), a table load does not: the b64 run walk of a
// 64 KB prompt went from ~370 to ~160 µs. 64 KiB covers every UTF-16 code unit, so there is no
// range check; ASCII text touches two cache lines of it.

/** The class bits. A const enum: the values are inlined where they are used, as literals, so a
 *  walk's test is one table load and one `&` (an imported `const` is a property load each time). */
export const enum Char {
  HEX = 1,
  B64 = 2,
  ALNUM = 4,
  /** ASCII letters and digits, and every char above 127 (boundary checks only). */
  WORD = 8,
  /** Whitespace as the token split sees it: ASCII \t \n \v \f \r space, and no-break space. */
  SPACE = 16,
  /** Digits and the punctuation of written phone numbers, spaces included. */
  PHONE = 32,
  /** JS `\s` restricted to ASCII. */
  ASCII_WS = 64,
}

export const CHAR_CLASS: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  const set = (from: number, to: number, bits: number): void => {
    for (let c = from; c <= to; c++) t[c] |= bits;
  };
  set(48, 57, Char.HEX | Char.B64 | Char.ALNUM | Char.WORD | Char.PHONE);
  set(65, 70, Char.HEX);
  set(97, 102, Char.HEX);
  set(65, 90, Char.B64 | Char.ALNUM | Char.WORD);
  set(97, 122, Char.B64 | Char.ALNUM | Char.WORD);
  for (const c of [43, 47, 45, 95]) t[c] |= Char.B64;
  set(128, 65535, Char.WORD);
  for (const c of [32, 9, 10, 11, 12, 13, 0xa0]) t[c] |= Char.SPACE;
  for (const c of [32, 40, 41, 43, 45, 46, 0xa0]) t[c] |= Char.PHONE;
  for (const c of [32, 9, 10, 11, 12, 13]) t[c] |= Char.ASCII_WS;
  return t;
})();

/** What a text holds, OR-ed over its chars in one branch-free walk (scan.ts decides from it which
 *  token shapes can occur at all). */
export const enum Fact {
  /** a char above 127 */
  WIDE = 1,
  DIGIT = 2,
  /** an ASCII letter */
  LETTER = 4,
  /** anything but an ASCII letter or digit */
  OTHER = 8,
  /** a char of the token split's whitespace (Char.SPACE) */
  SPACE = 16,
  /** a base64 / base64url char (Char.B64): the walk counts their runs */
  B64 = 32,
  /** an ASCII uppercase letter (never trimmed: a whole value's lowercased key differs) */
  UPPER = 64,
  /** not a char's bit: set by the walk when a base64 run reaches a digest's length */
  DIGEST_RUN = 128,
}

/** Fact bits of the ASCII chars; above 127 every char is WIDE | OTHER, no-break space SPACE too. */
export const ASCII_FACTS: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if (c >= 48 && c <= 57) t[c] = Fact.DIGIT;
    else if (c >= 65 && c <= 90) t[c] = Fact.LETTER | Fact.UPPER;
    else if (c >= 97 && c <= 122) t[c] = Fact.LETTER;
    else t[c] = Fact.OTHER | ((CHAR_CLASS[c] & Char.SPACE) !== 0 ? Fact.SPACE : 0);
    if ((CHAR_CLASS[c] & Char.B64) !== 0) t[c] |= Fact.B64;
  }
  return t;
})();

/** Bits of `UnicodeTables.props`, per UTF-16 code unit outside the surrogates. */
export const enum Uni {
  /** a letter, mark or digit: `[\p{L}\p{M}\p{N}]` (the scanner's word char) */
  WORD = 1,
  /** `\p{N}` */
  NUM = 2,
  /** JS `\s` */
  SPACE = 4,
}

export interface UnicodeTables {
  /** Each code unit's lowercase, when it is one code unit whatever surrounds it; 0 when not: the
   *  surrogates, `İ` (whose lowercase is two units) and `Σ` (σ or ς, by its place in a word). */
  lower: Uint16Array;
  props: Uint8Array;
}

let unicode: UnicodeTables | undefined;

/**
 * Lowercase and classes of every BMP code unit, so text beyond ASCII can be lowercased and split
 * in place with `String.prototype.toLowerCase`'s and the regexes' results. Built on the first text
 * with a char above 127 (~16 ms, 192 KiB), not at load: most payloads never need it.
 */
export function unicodeTables(): UnicodeTables {
  if (unicode !== undefined) return unicode;
  const lower = new Uint16Array(65536);
  const props = new Uint8Array(65536);
  const word = /[\p{L}\p{M}\p{N}]/u;
  const num = /\p{N}/u;
  const space = /\s/;
  for (let c = 0; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const ch = String.fromCharCode(c);
    const l = ch.toLowerCase();
    if (l.length === 1 && c !== 0x3a3) lower[c] = l.charCodeAt(0);
    props[c] = (word.test(ch) ? Uni.WORD : 0) | (num.test(ch) ? Uni.NUM : 0) | (space.test(ch) ? Uni.SPACE : 0);
  }
  unicode = { lower, props };
  return unicode;
}

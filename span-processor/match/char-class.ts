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

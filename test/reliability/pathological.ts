// Inputs built to trigger catastrophic backtracking: long runs of the characters that the
// detection, decoding, scrubbing and error-redaction regexes treat specially (local-part and
// domain characters, digits and phone separators, whitespace, percent escapes, base64 and JWT
// alphabets), each ending in a character that makes the final match fail.
import fc from 'fast-check';

export const TARGET_CHARS = 50 * 1024;

/** Characters and short runs the project's regexes quantify over. */
export const PIECES: readonly string[] = [
  'a', 'Z', '1', '0', ' ', '.', '@', '-', '+', '(', ')', '/', '=', '%40', '%', '\n', '\r\n', '\t', 'é', '_', ':', '"', "'",
  '{', '[', ',', 'x', 'e', '$', '€', '#', '*', '\u00a0', 'eyJ', 'a@a.', '1-', '1 ', '1.', 'a.', '@a', '--', '/*', 'st ',
  'Jan ', 'ext', 'DE89', '\\u0040', '&a=', '?', '<', ';',
];
const ENDINGS: readonly string[] = ['', '!', '@', '\u0000', '.', ' x', '@@', '1'];

function fill(pattern: string, end: string, chars = TARGET_CHARS): string {
  return pattern.repeat(Math.ceil((chars - end.length) / pattern.length)).slice(0, chars - end.length) + end;
}

/** A fixed list: every piece alone, then known-dangerous shapes for the regex families in use. */
export function fixedInputs(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  for (const p of PIECES) out.push({ name: `run of ${JSON.stringify(p)} + "!"`, text: fill(p, '!') });
  const shapes: Array<[string, string, string]> = [
    ['local part then no domain', 'a', '@'],
    ['email-ish labels without TLD', 'a@a.1', ''],
    ['dotted local part', 'a.', '@-'],
    ['domain labels, numeric TLD', 'a.', '@a.1'],
    ['digits and separators, then a letter', '1 ', 'x'],
    ['digits and dashes then letter', '12-', 'x'],
    ['phone parens', '(1) ', 'ext.x'],
    ['amount-like', '1,00', 'EURO!'],
    ['iban-like', 'DE89 3704 ', '!'],
    ['spaces then no newline', ' ', 'x'],
    ['newlines between spaces', ' \n ', 'x'],
    ['quoted unterminated', '"a', ''],
    ['base64 alphabet', 'QUJD', '!'],
    ['base64url + std mixed', 'ab-_+/', '='],
    ['jwt-ish', 'eyJhbGciOi.', 'x'],
    ['percent-encoded email', 'a%40', 'b'],
    ['url with many params', '&a=', '%'],
    ['sql comment openers', '/*', ''],
    ['date-like prose', '1st of Jan ', 'x'],
    ['version suffix', ' (version ', ''],
  ];
  for (const [name, pattern, end] of shapes) out.push({ name, text: fill(pattern, end) });
  return out;
}

/** Random repetitions of 1–4 pieces with a failing ending (fast-check, seeded by the caller). */
export const repeatedInput: fc.Arbitrary<{ name: string; text: string }> = fc
  .tuple(fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 4 }), fc.constantFrom(...ENDINGS))
  .map(([parts, end]) => ({ name: `repeat ${JSON.stringify(parts.join(''))} + ${JSON.stringify(end)}`, text: fill(parts.join(''), end) }));

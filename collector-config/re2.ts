// The redaction processor compiles its patterns with Go's regexp package (RE2 syntax). We test the
// patterns with JavaScript RegExp, which is only sound for the subset both engines read the same
// way; this module rejects what RE2 refuses (lookaround, backreferences, atomic groups, possessive
// quantifiers) and what JS would read differently (POSIX classes, \Z, \h, inline flags mid-pattern).

export interface Re2Check {
  ok: boolean;
  /** Why the pattern is not portable (empty when ok). */
  problems: string[];
  /** The same pattern for `new RegExp(source, flags)`, when ok. */
  source: string;
  flags: string;
}

interface Rule { re: RegExp; why: string }

const RULES: readonly Rule[] = [
  { re: /\(\?<?[=!]/, why: 'lookaround is not supported by RE2' },
  { re: /\(\?>/, why: 'atomic groups are not supported by RE2' },
  { re: /\\[1-9]/, why: 'backreferences are not supported by RE2' },
  { re: /\\k</, why: 'named backreferences are not supported by RE2' },
  { re: /[*+?}][+]/, why: 'possessive quantifiers are not supported by RE2' },
  { re: /\[\[:[a-z]+:\]\]/, why: 'POSIX classes are RE2-only (JavaScript reads them differently)' },
  { re: /\\[ZGhHRXK]/, why: 'escape not shared by RE2 and JavaScript' },
  { re: /\(\?P?<[A-Za-z]/, why: 'named groups differ between RE2 ((?P<n>)) and JavaScript ((?<n>))' },
];
/** A leading (?i) / (?s) / (?is): the only inline-flag form we translate. */
const LEADING_FLAGS = /^\(\?([is]{1,2})\)/;
const INLINE_FLAGS = /\(\?[a-zA-Z-]+[):]/;
const MAX_PATTERN = 4096;

export function checkRe2Portable(pattern: string): Re2Check {
  const problems: string[] = [];
  if (pattern.length > MAX_PATTERN) return { ok: false, problems: ['pattern too long'], source: '', flags: '' };
  let body = pattern;
  let flags = '';
  const lead = LEADING_FLAGS.exec(body);
  if (lead) {
    flags = [...new Set(lead[1])].sort().join('');
    body = body.slice(lead[0].length);
  }
  if (INLINE_FLAGS.test(body.replace(/\(\?:/g, ''))) problems.push('inline flags are only translated at the start of the pattern');
  // Escaped backslashes must not make `\\1` look like a backreference: drop `\\` pairs first.
  const scan = body.replace(/\\\\/g, '');
  for (const r of RULES) if (r.re.test(scan)) problems.push(r.why);
  if (problems.length === 0) {
    try { new RegExp(body, flags); } catch (e) { problems.push(`not a valid JavaScript pattern: ${(e as Error).message}`); }
  }
  return { ok: problems.length === 0, problems, source: problems.length ? '' : body, flags };
}

/** JavaScript RegExp with the collector's search semantics (unanchored, every match masked). */
export function toJsRegExp(pattern: string): RegExp {
  const c = checkRe2Portable(pattern);
  if (!c.ok) throw new Error(`pattern is not RE2/JS portable: ${c.problems.join('; ')}`);
  return new RegExp(c.source, c.flags + 'g');
}

/** What the redaction processor does to one string value: blocked matches become `****`,
 *  unless an allowed_values pattern matches the value. */
export function maskLikeRedaction(value: string, blocked: readonly RegExp[], allowed: readonly RegExp[] = []): string {
  for (const a of allowed) {
    a.lastIndex = 0;
    if (a.test(value)) return value;
  }
  let out = value;
  for (const b of blocked) {
    b.lastIndex = 0;
    out = out.replace(b, '****');
  }
  return out;
}

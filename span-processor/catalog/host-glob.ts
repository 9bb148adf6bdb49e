// Host names and host globs: the one place that decides what "the same host" means.
//
// Glob syntax (used by the catalog file, SST_CONFIG `destinations`, `firstPartyHosts`, `ignoredHosts`):
//   - `api.example.com`   exact host (case-insensitive, trailing dot and port ignored);
//   - `*.example.com`     `*` as a whole label matches ONE OR MORE labels: `a.example.com` and
//                         `a.b.example.com`, never `example.com` itself;
//   - `rest.*.braze.com`  a whole-label `*` may sit anywhere, with the same meaning;
//   - `*-checkout-live.adyenpayments.com`  a `*` inside a label matches one or more characters of
//                         that single label (no dots);
//   - an IPv6 literal (`::1`, `[::1]`) is an exact host.
// At most two `*` per glob and at least one literal label, so no glob matches every host and no
// compiled regex can backtrack badly.
import ipaddr from 'ipaddr.js';

/** DNS limit; longer inputs are not host names and never match anything. */
export const MAX_HOST_LENGTH = 253;
const MAX_STARS = 2;

export type HostMatcher =
  | { type: 'exact'; host: string }
  | { type: 'suffix'; suffix: string }
  | { type: 'regex'; re: RegExp };

export type GlobResult = { ok: true; matcher: HostMatcher } | { ok: false; error: string };

const LABEL = /^(?:\*|[a-z0-9_-]+|[a-z0-9_-]*\*[a-z0-9_-]*)$/;
const IPV6_LITERAL = /^[0-9a-f:.]+$/;
const ANY_LABELS = '[a-z0-9_-]+(?:\\.[a-z0-9_-]+)*';
const IN_LABEL = '[a-z0-9_-]+';

/** Lowercase host without port, brackets or trailing dot; '' when the input is not usable. */
export function normalizeHost(raw: string): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_HOST_LENGTH + 8) return '';
  let h = raw;
  if (h.charCodeAt(0) === 0x5b /* [ */) {
    const end = h.indexOf(']');
    if (end < 0) return '';
    h = h.slice(1, end);
  } else {
    const colon = h.indexOf(':');
    // One colon is host:port; several colons are a bare IPv6 literal.
    if (colon >= 0 && h.indexOf(':', colon + 1) < 0) h = h.slice(0, colon);
  }
  if (h.length > 0 && h.charCodeAt(h.length - 1) === 0x2e /* . */) h = h.slice(0, -1);
  h = h.toLowerCase();
  if (h.length === 0 || h.length > MAX_HOST_LENGTH) return '';
  return h;
}

/** Validate and compile one glob. Never throws. */
export function compileHostGlob(pattern: string): GlobResult {
  if (typeof pattern !== 'string') return { ok: false, error: 'expected a host name or glob string' };
  let p = pattern.trim().toLowerCase();
  if (p.startsWith('[') && p.endsWith(']')) p = p.slice(1, -1);
  if (p.endsWith('.')) p = p.slice(0, -1);
  if (p.length === 0 || p.length > MAX_HOST_LENGTH) return { ok: false, error: `host glob must be 1-${MAX_HOST_LENGTH} characters` };
  if (p.includes(':')) {
    if (!IPV6_LITERAL.test(p)) return { ok: false, error: 'a host with ":" must be an IPv6 literal (ports are not part of a host glob)' };
    return { ok: true, matcher: { type: 'exact', host: p } };
  }
  const labels = p.split('.');
  let stars = 0;
  let literalLabels = 0;
  for (const label of labels) {
    if (label.length === 0 || label.length > 63 || !LABEL.test(label)) {
      return { ok: false, error: `"${pattern}" is not a host glob (labels of a-z 0-9 - _ separated by dots; "*" as a label or inside one)` };
    }
    if (label.includes('*')) stars++;
    if (label !== '*') literalLabels++;
  }
  if (stars > MAX_STARS) return { ok: false, error: `"${pattern}" has more than ${MAX_STARS} "*"` };
  if (literalLabels === 0 || (labels.length === 1 && stars > 0)) {
    return { ok: false, error: `"${pattern}" would match too much: keep at least one literal label besides the "*" one` };
  }
  if (stars === 0) return { ok: true, matcher: { type: 'exact', host: p } };
  if (stars === 1 && labels[0] === '*') return { ok: true, matcher: { type: 'suffix', suffix: p.slice(1) } };
  const source = labels
    .map((l) => (l === '*' ? ANY_LABELS : l.includes('*') ? l.replace('*', IN_LABEL) : l))
    .join('\\.');
  return { ok: true, matcher: { type: 'regex', re: new RegExp(`^${source}$`) } };
}

/** Test a normalized host against a compiled glob. */
export function matchHost(m: HostMatcher, host: string): boolean {
  switch (m.type) {
    case 'exact':
      return host === m.host;
    case 'suffix':
      // `host.length > suffix.length` leaves at least one character (a label) before the dot.
      return host.length > m.suffix.length && host.endsWith(m.suffix) && host.charCodeAt(0) !== 0x2e;
    case 'regex':
      return m.re.test(host);
  }
}

const LOOPBACK_V4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback. Only dotted-quad IPv4 counts (`127.1` is a name). */
export function isLoopback(host: string): boolean {
  if (host.charCodeAt(0) === 0x31 /* 1 */) {
    const m = LOOPBACK_V4.exec(host);
    return m !== null && Number(m[1]) <= 255 && Number(m[2]) <= 255 && Number(m[3]) <= 255;
  }
  // ipaddr is slow on non-addresses (it throws internally), so only IPv6-looking hosts reach it.
  if (!host.includes(':')) return false;
  try {
    if (!ipaddr.IPv6.isValid(host)) return false;
    const a = ipaddr.IPv6.parse(host);
    if (a.isIPv4MappedAddress()) return a.toIPv4Address().range() === 'loopback';
    return a.range() === 'loopback';
  } catch {
    return false;
  }
}

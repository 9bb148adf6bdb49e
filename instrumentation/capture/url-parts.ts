// Hostname and URL assembly from the pieces HTTP clients keep (no URL parsing on the hot path).

/** Host without userinfo, port or IPv6 brackets, lowercased. */
export function hostOfAuthority(authority: string): string {
  let s = authority;
  const at = s.lastIndexOf('@');
  if (at !== -1) s = s.slice(at + 1);
  if (s.charCodeAt(0) === 91 /* [ */) {
    const close = s.indexOf(']');
    return (close === -1 ? s.slice(1) : s.slice(1, close)).toLowerCase();
  }
  const colon = s.indexOf(':');
  // A bare IPv6 address (several colons) has no port to strip.
  if (colon !== -1 && s.indexOf(':', colon + 1) === -1) s = s.slice(0, colon);
  return s.toLowerCase();
}

/** The authority part of an absolute URL (`https://a.b:8443/x` → `a.b:8443`), or undefined. */
export function authorityOfUrl(url: string): string | undefined {
  const sep = url.indexOf('://');
  if (sep === -1 || sep > 16) return undefined;
  const start = sep + 3;
  let end = start;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    if (c === 47 /* / */ || c === 63 /* ? */ || c === 35 /* # */) break;
    end++;
  }
  return url.slice(start, end);
}

export function isAbsoluteUrl(path: string): boolean {
  return path.startsWith('http://') || path.startsWith('https://');
}

/** Brackets a bare IPv6 literal for use in a URL. */
export function authorityFromHost(host: string): string {
  return host.includes(':') && host.charCodeAt(0) !== 91 ? `[${host}]` : host;
}

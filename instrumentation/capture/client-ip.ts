// The client address of an incoming request, as proxies report it.
import { isIP } from 'node:net';
import type { HeaderMap } from '../../span-processor/types';

// X-Forwarded-For lists are short; a longer one is hostile or broken, so only the head is read.
const MAX_XFF_ENTRIES = 32;
const MAX_ENTRY_CHARS = 64;

export function resolveClientIp(headers: HeaderMap, remoteAddress: string | undefined): string | undefined {
  const fromXff = firstForwarded(headers['x-forwarded-for']);
  if (fromXff) return fromXff;
  const real = headers['x-real-ip'];
  const fromReal = cleanIp(Array.isArray(real) ? real[0] : real);
  if (fromReal) return fromReal;
  return cleanIp(remoteAddress);
}

function firstForwarded(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value.join(',') : value;
  let start = 0;
  for (let i = 0; i < MAX_XFF_ENTRIES && start <= list.length; i++) {
    let end = list.indexOf(',', start);
    if (end === -1) end = list.length;
    const ip = cleanIp(list.slice(start, end));
    if (ip) return ip;
    start = end + 1;
  }
  return undefined;
}

/** Trims, removes brackets / a port / the IPv4-mapped prefix; undefined unless a valid IP remains. */
export function cleanIp(raw: string | undefined): string | undefined {
  if (typeof raw !== 'string') return undefined;
  let s = raw.trim();
  if (s.length === 0 || s.length > MAX_ENTRY_CHARS) return undefined;
  if (s.charCodeAt(0) === 91 /* [ */) {
    const close = s.indexOf(']');
    if (close === -1) return undefined;
    s = s.slice(1, close);
  } else {
    const colon = s.indexOf(':');
    // One colon means IPv4 with a port; IPv6 has at least two.
    if (colon !== -1 && s.indexOf(':', colon + 1) === -1) s = s.slice(0, colon);
  }
  if (s.length > 7 && s.slice(0, 7).toLowerCase() === '::ffff:' && isIP(s.slice(7)) === 4) s = s.slice(7);
  return isIP(s) !== 0 ? s : undefined;
}

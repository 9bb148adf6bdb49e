// IP addresses: any valid address except loopback and unspecified, which identify no one.
// Private ranges stay tagged: behind a proxy they still single out a device on the local network.
import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';

const MAX_IP_CHARS = 64;

/** Verdicts of recent addresses: every request brings its client address, mostly the same few
 *  (a proxy, a load balancer), and classifying one through ipaddr.js ranges costs ~10 µs. */
const recent = new Map<string, boolean>();
const RECENT_MAX = 256;

export function isTaggableIp(value: string): boolean {
  const known = recent.get(value);
  if (known !== undefined) return known;
  const verdict = classify(value);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(value, verdict);
  return verdict;
}

function classify(value: string): boolean {
  let v = value.trim();
  if (v.length === 0 || v.length > MAX_IP_CHARS) return false;
  const zone = v.indexOf('%');
  if (zone > 0) v = v.slice(0, zone);
  if (v.startsWith('[') && v.endsWith(']')) v = v.slice(1, -1);
  if (isIP(v) === 0) return false;
  try {
    // process() unwraps IPv4-mapped IPv6 (`::ffff:127.0.0.1`) before classifying.
    const range = ipaddr.process(v).range();
    return range !== 'loopback' && range !== 'unspecified';
  } catch {
    return false;
  }
}

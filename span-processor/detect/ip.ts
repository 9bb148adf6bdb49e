// IP addresses: any valid address except loopback and unspecified, which identify no one.
// Private ranges stay tagged: behind a proxy they still single out a device on the local network.
import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';

const MAX_IP_CHARS = 64;

export function isTaggableIp(value: string): boolean {
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

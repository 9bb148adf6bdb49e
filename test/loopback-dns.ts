// In-process tests send to vendor hostnames (the hostname is what classifies a destination) and
// need them to reach loopback fakes: every name but localhost and IP literals resolves to 127.0.0.1
// in this process only, until the returned undo runs.
import dns from 'node:dns';

export function resolveVendorsToLoopback(): () => void {
  const realLookup = dns.lookup;
  function fakeLookup(this: unknown, host: string, opts: unknown, cb?: unknown): void {
    const callback = (typeof opts === 'function' ? opts : cb) as (...a: unknown[]) => void;
    const o = (typeof opts === 'object' && opts) as { all?: boolean } | false;
    if (host === 'localhost' || /^[\d.]+$/.test(host)) return (realLookup as Function).call(dns, host, opts, cb);
    if (o && o.all) return void process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }]);
    process.nextTick(callback, null, '127.0.0.1', 4);
  }
  (dns as { lookup: unknown }).lookup = fakeLookup;
  return () => { (dns as { lookup: unknown }).lookup = realLookup; };
}

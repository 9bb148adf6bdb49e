// A throw-away CA and one leaf certificate for the fake vendors, made with the openssl CLI so the
// apps verify TLS exactly as in production (they trust the CA through NODE_EXTRA_CA_CERTS).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeCerts {
  dir: string;
  /** PEM file of the CA: the value of NODE_EXTRA_CA_CERTS. */
  caFile: string;
  keyFile: string;
  certFile: string;
  key: Buffer;
  cert: Buffer;
}

const cache = new Map<string, FakeCerts>();

/** Certificates whose SANs are `hosts`; made once per process per host list. */
export function makeCerts(hosts: readonly string[]): FakeCerts {
  const names = [...new Set(hosts)].sort();
  const cacheKey = names.join(',');
  const cached = cache.get(cacheKey);
  if (cached) return cached;

  const dir = mkdtempSync(join(tmpdir(), 'sst-e2e-certs-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string): string => join(dir, name);
  const openssl = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  // EC keys: an order of magnitude faster to generate than RSA, and every client here accepts them.
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ecKey, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2',
    '-subj', '/CN=sst e2e throw-away CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', ...ecKey, '-keyout', file('leaf.key'), '-out', file('leaf.csr'), '-subj', '/CN=sst e2e fake vendors']);
  const sans = names.map((h, i) => `DNS.${i + 1} = ${h}`).join('\n');
  writeFileSync(file('leaf.ext'), [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=@alt_names',
    '[alt_names]',
    sans,
    '',
  ].join('\n'));
  openssl(['x509', '-req', '-in', file('leaf.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-out', file('leaf.pem'), '-days', '2', '-extfile', file('leaf.ext')]);

  const certs: FakeCerts = {
    dir,
    caFile: file('ca.pem'),
    keyFile: file('leaf.key'),
    certFile: file('leaf.pem'),
    key: readFileSync(file('leaf.key')),
    cert: readFileSync(file('leaf.pem')),
  };
  cache.set(cacheKey, certs);
  return certs;
}

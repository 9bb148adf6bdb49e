// Random HTTP requests for the differential fuzz (fast-check): methods, content types, bodies
// (valid and malformed JSON, url-encoded, multipart with files, gzip and broken gzip, empty,
// binary), sent with a content-length or chunked, in one write or slowly, or aborted halfway.
import fc from 'fast-check';
import { request } from 'node:http';
import { connect } from 'node:net';
import { deflateSync, gzipSync } from 'node:zlib';

export type Delivery = 'whole' | 'chunked' | 'slow' | 'aborted';

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  delivery: Delivery;
  /** For the failure message: what kind of body this is (never the values). */
  label: string;
}

export interface FuzzResponse {
  status: number;
  /** Headers that matter to a client (not date, keep-alive, connection). */
  headers: Record<string, string>;
  body: string;
}

const person = fc.record({
  email: fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,12}$/), fc.constantFrom('example.org', 'gmail.com', 'mail.example.de')).map(([l, d]) => `${l}@${d}`),
  phone: fc.integer({ min: 2000000, max: 9999999 }).map((n) => `+1 415 ${String(n).slice(0, 3)} ${String(n).slice(3)}`),
  firstName: fc.constantFrom('Ada', 'Jürgen', 'Zoë', 'Łukasz', '李', 'O\'Neil'),
  note: fc.string({ maxLength: 40 }),
});

const jsonValue = fc.oneof(
  person.map((p) => JSON.stringify(p)),
  fc.json({ maxDepth: 4 }),
  person.map((p) => JSON.stringify({ user: p, items: [p.email, { nested: { deeper: [p.phone] } }] })),
);

const MULTIPART_BOUNDARY = 'sstfuzzBoundary7MA4YWxkTrZu0gW';

function multipart(fields: Record<string, string>, file: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="upload"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n`), file, Buffer.from(`\r\n--${MULTIPART_BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

type Body = { label: string; contentType?: string; encoding?: string; bytes: Buffer };

const bodies: fc.Arbitrary<Body> = fc.oneof(
  jsonValue.map((j) => ({ label: 'json', contentType: 'application/json', bytes: Buffer.from(j) })),
  fc.tuple(jsonValue, fc.nat()).map(([j, n]) => ({ label: 'malformed json', contentType: 'application/json', bytes: Buffer.from(j.slice(0, Math.max(1, n % Math.max(1, j.length)))) })),
  person.map((p) => ({ label: 'urlencoded', contentType: 'application/x-www-form-urlencoded', bytes: Buffer.from(new URLSearchParams(p).toString()) })),
  fc.tuple(person, fc.uint8Array({ maxLength: 2048 })).map(([p, f]) => ({ label: 'multipart with a file', contentType: `multipart/form-data; boundary=${MULTIPART_BOUNDARY}`, bytes: multipart(p, Buffer.from(f)) })),
  jsonValue.map((j) => ({ label: 'gzip json', contentType: 'application/json', encoding: 'gzip', bytes: gzipSync(Buffer.from(j)) })),
  fc.tuple(jsonValue, fc.nat()).map(([j, n]) => { const g = gzipSync(Buffer.from(j)); return { label: 'broken gzip', contentType: 'application/json', encoding: 'gzip', bytes: Buffer.concat([g.subarray(0, 10 + (n % Math.max(1, g.length - 10))), Buffer.from([0xde, 0xad])]) }; }),
  jsonValue.map((j) => ({ label: 'deflate json', contentType: 'application/json', encoding: 'deflate', bytes: deflateSync(Buffer.from(j)) })),
  fc.constant({ label: 'empty', contentType: 'application/json', bytes: Buffer.alloc(0) }),
  fc.constant({ label: 'empty, no content-type', bytes: Buffer.alloc(0) }),
  fc.uint8Array({ maxLength: 4096 }).map((b) => ({ label: 'binary', contentType: 'application/octet-stream', bytes: Buffer.from(b) })),
  fc.tuple(fc.string({ maxLength: 300 }), fc.constantFrom('text/plain', 'text/plain; charset=latin1', 'application/x-unknown')).map(([s, ct]) => ({ label: 'text', contentType: ct, bytes: Buffer.from(s) })),
  person.map((p) => ({ label: 'json, wrong content-type', contentType: 'text/html', bytes: Buffer.from(JSON.stringify(p)) })),
);

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'GET'),
  query: fc.option(person.map((p) => `?${new URLSearchParams({ email: p.email, q: p.note }).toString()}`), { nil: '' }),
  body: bodies,
  delivery: fc.constantFrom<Delivery>('whole', 'whole', 'whole', 'chunked', 'slow', 'aborted'),
  cookie: fc.option(person.map((p) => `uid=${encodeURIComponent(p.email)}; _fbp=fb.1.1732611045123.4827165930`), { nil: undefined }),
}).map(({ method, query, body, delivery, cookie }) => {
  const headers: Record<string, string> = {};
  if (body.contentType) headers['content-type'] = body.contentType;
  if (body.encoding) headers['content-encoding'] = body.encoding;
  if (cookie) headers.cookie = cookie;
  // /echo answers other methods at once (404), while a streamed body is still going out: whether
  // the client then sees the answer or a reset is a race in the client, not a difference.
  const how: Delivery = method === 'POST' ? delivery : 'whole';
  return { method, path: `/echo${query}`, headers, body: body.bytes, delivery: how, label: `${method} ${body.label} (${body.bytes.length} B, ${how})` };
});

const KEPT_HEADERS = ['content-type', 'content-length', 'transfer-encoding', 'content-encoding', 'location', 'set-cookie', 'cache-control', 'vary', 'allow', 'x-powered-by'];

/** Sends one request; an aborted one sends half its body, waits, then destroys the socket. */
export function sendFuzz(port: number, r: FuzzRequest): Promise<FuzzResponse> {
  if (r.delivery === 'aborted') return sendAborted(port, r);
  return new Promise((resolve, reject) => {
    const headers = { ...r.headers };
    if (r.delivery === 'whole') headers['content-length'] = String(r.body.length);
    const req = request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const kept: Record<string, string> = {};
        for (const h of KEPT_HEADERS) { const v = res.headers[h]; if (v !== undefined) kept[h] = Array.isArray(v) ? v.join(', ') : v; }
        resolve({ status: res.statusCode ?? 0, headers: kept, body: Buffer.concat(chunks).toString('latin1') });
      });
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    // A server may answer early (404, 400) and close while the body is still going out.
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE' || e.code?.startsWith('HPE_')) resolve({ status: -1, headers: {}, body: 'connection closed early' });
      else reject(e);
    });
    if (r.delivery === 'whole') { req.end(r.body); return; }
    const step = Math.max(1, Math.ceil(r.body.length / (r.delivery === 'slow' ? 6 : 3)));
    let at = 0;
    const next = (): void => {
      if (at >= r.body.length) { req.end(); return; }
      req.write(r.body.subarray(at, at + step));
      at += step;
      if (r.delivery === 'slow') setTimeout(next, 40); else setImmediate(next);
    };
    next();
  });
}

function sendAborted(port: number, r: FuzzRequest): Promise<FuzzResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    // Whether an early answer arrives before the abort is a race, not a difference: not compared.
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ status: -2, headers: {}, body: 'aborted' }));
    socket.on('connect', () => {
      const lines = [`${r.method} ${r.path} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${r.body.length + 100}`];
      for (const [k, v] of Object.entries(r.headers)) lines.push(`${k}: ${v}`);
      socket.write(lines.join('\r\n') + '\r\n\r\n');
      socket.write(r.body.subarray(0, Math.floor(r.body.length / 2)));
      setTimeout(() => socket.destroy(), 60);
    });
  });
}

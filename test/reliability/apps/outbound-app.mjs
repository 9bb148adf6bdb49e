// Sends the calls listed in argv[2] (JSON) to the server at argv[3], one after the other, through
// fetch or http.request with the body type each names, and prints what came back. Knows nothing
// about instrumentation; any uncaught exception or unhandled rejection is printed and fails it.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { Readable } from 'node:stream';

process.on('uncaughtException', (e) => { process.stderr.write(`UNCAUGHT ${e && e.stack}\n`); process.exitCode = 11; });
process.on('unhandledRejection', (e) => { process.stderr.write(`UNHANDLED ${e && e.stack}\n`); process.exitCode = 12; });

const calls = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const base = process.argv[3];

function chunksOf(text) {
  const b = Buffer.from(text);
  const out = [];
  for (let i = 0; i < b.length; i += 7) out.push(b.subarray(i, i + 7));
  return out;
}

function fetchBody(c) {
  switch (c.kind) {
    case 'string': return c.text;
    case 'buffer': return Buffer.from(c.text);
    case 'uint8array': return new Uint8Array(Buffer.from(c.text));
    case 'stream': return Readable.toWeb(Readable.from(chunksOf(c.text)));
    case 'async-iterable': return (async function* () { for (const ch of chunksOf(c.text)) yield ch; })();
    case 'form-data': { const f = new FormData(); f.append('payload', c.text); f.append('file', new Blob([c.text], { type: 'text/plain' }), 'a.txt'); return f; }
    case 'url-search-params': return new URLSearchParams({ payload: c.text, n: '1' });
    case 'blob': return new Blob([c.text], { type: c.contentType || '' });
    default: return undefined;
  }
}

async function viaFetch(c) {
  const body = fetchBody(c);
  const headers = {};
  if (c.contentType && !['form-data', 'url-search-params', 'blob'].includes(c.kind)) headers['content-type'] = c.contentType;
  const streamed = c.kind === 'stream' || c.kind === 'async-iterable';
  const r = await fetch(`${base}/in/${c.kind}`, { method: c.method, headers, body, ...(streamed ? { duplex: 'half' } : {}) });
  return `${r.status} ${await r.text()}`;
}

function viaHttp(c) {
  return new Promise((resolve, reject) => {
    const headers = {};
    if (c.contentType) headers['content-type'] = c.contentType;
    const req = request(`${base}/in/${c.kind}`, { method: c.method, headers }, (res) => {
      let s = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { s += d; });
      res.on('end', () => resolve(`${res.statusCode} ${s}`));
      res.on('error', reject);
    });
    req.on('error', reject);
    switch (c.kind) {
      case 'none': req.end(); break;
      case 'stream': Readable.from(chunksOf(c.text)).pipe(req); break;
      case 'async-iterable': (async () => { for (const ch of chunksOf(c.text)) req.write(ch); req.end(); })(); break;
      case 'url-search-params': req.end(new URLSearchParams({ payload: c.text, n: '1' }).toString()); break;
      case 'form-data': req.end(`payload=${encodeURIComponent(c.text)}`); break;
      case 'uint8array': req.end(new Uint8Array(Buffer.from(c.text))); break;
      case 'blob': c.text ? req.end(Buffer.from(c.text)) : req.end(); break;
      default: req.end(typeof c.text === 'string' && c.kind === 'buffer' ? Buffer.from(c.text) : c.text);
    }
  });
}

const out = [];
for (const c of calls) {
  try { out.push(c.client === 'fetch' ? await viaFetch(c) : await viaHttp(c)); } catch (e) { out.push(`error ${e && e.name}`); }
}
process.stdout.write(out.join('\n') + '\n');

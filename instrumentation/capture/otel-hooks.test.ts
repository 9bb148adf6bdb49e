// The hooks as the lead wires them: OTel's http and undici instrumentations call them from
// `requestHook`. Guards the timing assumptions (hook before the first body byte / before end()).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type * as HttpModule from 'node:http';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { bodyBytes, captureIncoming, captureOutgoing, captureUndici } from './index';
import type { CaptureWithError as Capture } from './tracker';
import { LIMIT, delay } from './harness.test';

const done: { kind: string; where: string; complete: boolean; body: string }[] = [];
const onComplete = (_span: object, c: Capture): void => {
  done.push({ kind: c.kind, where: c.kind === 'ingress' ? c.target : c.url, complete: c.body.complete, body: bodyBytes(c.body).toString() });
};
const provider = new NodeTracerProvider();
const unregister = registerInstrumentations({
  tracerProvider: provider,
  instrumentations: [
    new HttpInstrumentation({
      requestHook: (span, req) => {
        if ('aborted' in req && typeof (req as HttpModule.IncomingMessage).push === 'function') {
          captureIncoming(span, req as HttpModule.IncomingMessage, { limit: 1000, onComplete });
        } else {
          captureOutgoing(span, req as HttpModule.ClientRequest, { limit: 1000, onComplete });
        }
      },
    }),
    new UndiciInstrumentation({ requestHook: (span, req) => { captureUndici(span, req, { limit: 1000, onComplete }); } }),
  ],
});
// Required after the instrumentations are enabled so the patch applies.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const http: typeof HttpModule = require('node:http');

after(() => unregister());

test('OTel requestHooks: server, http client and fetch captures are whole', LIMIT, async () => {
  const server = http.createServer((req, res) => {
    let b = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => { b += d; });
    req.on('end', () => res.end(`got:${b}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  try {
    await new Promise<void>((r, j) => {
      const q = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/a', agent: false }, (res) => { res.resume(); res.on('end', () => r()); });
      q.on('error', j);
      q.write('hello ');
      q.end('world');
    });
    const text = await (await fetch(`http://127.0.0.1:${port}/f`, { method: 'POST', body: '{"email":"a@b.example"}' })).text();
    assert.equal(text, 'got:{"email":"a@b.example"}');
    await delay(20);
  } finally {
    server.closeAllConnections();
    server.close();
  }
  const sorted = done.map((d) => `${d.kind} ${d.where.replace(String(port), 'PORT')} ${d.complete} ${d.body}`).sort();
  assert.deepEqual(sorted, [
    'egress http://127.0.0.1:PORT/a true hello world',
    'egress http://127.0.0.1:PORT/f true {"email":"a@b.example"}',
    'ingress /a true hello world',
    'ingress /f true {"email":"a@b.example"}',
  ]);
});

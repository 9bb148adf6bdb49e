'use strict';
// A financial-advice service (CommonJS, bare node:http). It knows nothing about instrumentation:
//   POST /profile   stores the person's profile (email, name, income, birthdate) in memory;
//   POST /advice    asks OpenAI (openai SDK, chat completions) with the profile in the prompt;
//   POST /advice-stream  the same, streamed with stream_options.include_usage;
//   POST /claude    asks Anthropic (@anthropic-ai/sdk, messages, streamed);
//   POST /raw       a raw fetch stream to OpenAI; answers the sha256 of the bytes it read.
// Every answer is JSON with the model's text.
const crypto = require('node:crypto');
const http = require('node:http');
const OpenAI = require('openai');
const Anthropic = require('@anthropic-ai/sdk');

const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY || 'sk-e2e-fake', maxRetries: 0, timeout: 20_000, defaultHeaders: { 'x-e2e-echo': '1' } });
const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY || 'sk-ant-e2e-fake', maxRetries: 0, timeout: 20_000, defaultHeaders: { 'x-e2e-echo': '1' } });
const profiles = new Map();
const usd = (n) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(n);

function promptFor(p) {
  return `I'm ${p.name} (${p.email}). My annual income is ${usd(Number(p.income))} and I was born on ${new Date(p.birthdate + 'T00:00:00Z').toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' })}. How much should I save each month? Send me the plan by email.`;
}
const SYSTEM = 'You are a friendly savings coach. Answer in three short sentences.';

async function readJson(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

const routes = {
  async '/profile'(body) {
    profiles.set(String(body.email).trim().toLowerCase(), body);
    return { ok: true };
  },
  async '/advice'(body) {
    const p = profiles.get(String(body.email).trim().toLowerCase());
    const c = await openai.chat.completions.create({
      model: 'gpt-4o-mini', temperature: 0.3, max_tokens: 200,
      messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: promptFor(p) }],
    });
    return { text: c.choices[0].message.content, usage: c.usage };
  },
  async '/advice-stream'(body) {
    const p = profiles.get(String(body.email).trim().toLowerCase());
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: promptFor(p) }],
    });
    let text = '';
    let usage = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    return { text, usage };
  },
  async '/claude'(body) {
    const p = profiles.get(String(body.email).trim().toLowerCase());
    const stream = anthropic.messages.stream({
      model: 'claude-3-5-haiku-latest', max_tokens: 300, system: SYSTEM,
      messages: [{ role: 'user', content: promptFor(p) }],
    });
    const m = await stream.finalMessage();
    return { text: m.content.map((b) => b.text ?? '').join(''), usage: m.usage };
  },
  async '/raw'(body) {
    const p = profiles.get(String(body.email).trim().toLowerCase());
    const res = await fetch('https://api.openai.com/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-e2e-fake', 'x-e2e-echo': '1' },
      body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: promptFor(p) }] }),
    });
    const hash = crypto.createHash('sha256');
    let bytes = 0;
    for await (const chunk of res.body) { hash.update(chunk); bytes += chunk.length; }
    return { sha256: hash.digest('hex'), bytes };
  },
};

const server = http.createServer(async (req, res) => {
  try {
    if (req.method === 'GET' && req.url === '/health') { res.end('ok'); return; }
    const route = routes[req.url];
    if (req.method !== 'POST' || !route) { res.writeHead(404).end(); return; }
    const out = await route(await readJson(req));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out));
  } catch (e) {
    console.error('[llm-advisor]', e && e.message);
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'upstream failed' }));
  }
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${server.address().port}\n`);
});

process.on('SIGTERM', () => {
  server.close();
  server.closeIdleConnections();
});

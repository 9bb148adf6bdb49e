// What each fake vendor answers: the smallest reply its SDK accepts as success.
import type { ServerResponse } from 'node:http';
import type { FakeRequest } from './fakes';

interface Reply {
  status: number;
  body?: string;
  contentType?: string;
}

const json = (status: number, value: unknown): Reply => ({ status, body: JSON.stringify(value), contentType: 'application/json' });

function chatCompletion(req: FakeRequest): Reply {
  const sent = req.decoded.kind === 'json' ? (req.decoded.value as { model?: unknown }) : undefined;
  const model = typeof sent?.model === 'string' ? sent.model : 'gpt-4o-mini';
  return json(200, {
    id: 'chatcmpl-e2e0001',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'Thanks, noted.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 },
  });
}

export function replyFor(req: FakeRequest): Reply {
  const path = req.path.split('?')[0] ?? '';
  if (req.method === 'POST' && path.endsWith('/chat/completions')) return chatCompletion(req);
  switch (req.host) {
    case 'graph.facebook.com':
      return json(200, { events_received: 1, messages: [], fbtrace_id: 'x' });
    case 'api.segment.io':
      return json(200, { success: true });
    case 'us.i.posthog.com':
      return json(200, { status: 1 });
    case 'api.sendgrid.com':
      return { status: 202 };
    case 'www.google-analytics.com':
      return { status: 204 };
    case 'datamanager.googleapis.com':
      return json(200, { requestId: 'r1' });
    case 'api.exchangerate.example':
      return json(200, { base: 'EUR', date: '2024-11-26', rates: { USD: 1.0842, GBP: 0.8571 } });
    default:
      return json(200, { ok: true });
  }
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  const body = reply.body === undefined ? undefined : Buffer.from(reply.body, 'utf8');
  const headers: Record<string, string | number> = { 'content-length': body?.length ?? 0 };
  if (reply.contentType) headers['content-type'] = reply.contentType;
  res.writeHead(reply.status, headers);
  res.end(body);
}

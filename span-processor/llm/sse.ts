// Server-sent events (WHATWG HTML §9.2 "event stream" parsing) over a captured response body: the
// `data:` lines of each event joined with "\n", with its `event:` name. Streamed LLM responses
// (OpenAI chat chunks, Responses API events, Anthropic message events, Gemini `alt=sse`) all use
// this framing. Works on a prefix (a capture cut at the limit): the unfinished last event is dropped.

export interface SseEvent {
  event: string;
  data: string;
}

/** Most events read from one body (a stream of one-token deltas is long, but bounded by the capture). */
const MAX_EVENTS = 100_000;

/** True when the body starts like an event stream (a field line, a comment or a blank line). */
export function looksLikeSse(text: string): boolean {
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < text.length && (text[i] === '\n' || text[i] === '\r')) i++;
  return text.startsWith('data:', i) || text.startsWith('event:', i) || text.startsWith(':', i)
    || text.startsWith('id:', i) || text.startsWith('retry:', i);
}

/** Calls `onEvent` per dispatched event, in order. Returns false when the event cap stopped it. */
export function parseSse(text: string, onEvent: (e: SseEvent) => void): boolean {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let data: string[] = [];
  let event = '';
  let count = 0;
  // Lines end in CRLF, LF or CR; native indexOf finds them (most streams have no CR at all).
  let cr = text.indexOf('\r', pos);
  while (pos < n) {
    if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
    const lf = text.indexOf('\n', pos);
    const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
    if (end === -1) break; // an unterminated last line is not part of a complete event
    const line = text.slice(pos, end);
    pos = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    if (line.length === 0) {
      if (data.length > 0) {
        if (++count > MAX_EVENTS) return false;
        onEvent({ event: event || 'message', data: data.join('\n') });
      }
      data = [];
      event = '';
      continue;
    }
    if (line.charCodeAt(0) === 58 /* : */) continue; // comment
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
  }
  return true;
}

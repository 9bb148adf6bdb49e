// Semconv §7a: upstream instrumentations record raw request data (url.full, url.query, http.target,
// db statements, exception messages). Personal values found there are replaced before export with
// `[sst:<category>:<fingerprint id>]`, keeping the rest of the attribute readable.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { Registry } from './types';
import { findValueRanges, type MatchOptions } from './match';
import { ADDRESS_LETTER_CLASS } from './detect/email';

/** Attributes that can carry request data verbatim. */
export const SCRUBBED_KEYS: readonly string[] = [
  'url.full', 'url.query', 'url.path', 'url.original', 'http.target', 'http.url',
  'db.statement', 'db.query.text', 'exception.message', 'exception.stacktrace',
];
/** GenAI instrumentations (OTel GenAI semconv, OpenLLMetry, OpenInference) record prompts and
 *  completions verbatim: these keys, and every key under these prefixes (`gen_ai.prompt.0.content`,
 *  `llm.input_messages.0.message.content`), are scrubbed like the keys above. */
export const GENAI_KEYS: ReadonlySet<string> = new Set([
  'gen_ai.prompt', 'gen_ai.completion', 'gen_ai.input.messages', 'gen_ai.output.messages', 'gen_ai.system_instructions',
  'gen_ai.tool.call.arguments', 'gen_ai.tool.call.result', 'gen_ai.tool.definitions', 'gen_ai.retrieval.query.text',
  'gen_ai.retrieval.documents', 'input.value', 'output.value', 'llm.prompts', 'traceloop.entity.input', 'traceloop.entity.output',
]);
export const GENAI_PREFIXES: readonly string[] = [
  'gen_ai.prompt.', 'gen_ai.completion.', 'llm.input_messages.', 'llm.output_messages.', 'llm.prompts.',
];

function isGenAiText(key: string): boolean {
  if (GENAI_KEYS.has(key)) return true;
  for (const p of GENAI_PREFIXES) if (key.startsWith(p)) return true;
  return false;
}

/** Attributes that hold the client's address on SERVER spans. */
export const CLIENT_ADDRESS_KEYS: readonly string[] = [
  'client.address', 'http.client_ip', 'net.peer.ip', 'network.peer.address', 'net.sock.peer.addr',
];

// An email anywhere in an attribute is personal even if nobody tagged it (it may come from a
// store we don't watch); percent-encoded @ too, and letters beyond ASCII (maría@example.com).
const EMAIL_IN_TEXT = new RegExp(
  String.raw`[${ADDRESS_LETTER_CLASS}._%+\-]{1,64}(?:@|%40)[${ADDRESS_LETTER_CLASS}\-]{1,63}(?:\.[${ADDRESS_LETTER_CLASS}\-]{1,63}){0,8}\.[${ADDRESS_LETTER_CLASS}--[0-9]]{2,24}`, 'gv');
const MAX_SCRUB_CHARS = 64 * 1024;

export interface Scrubber {
  text(value: string): string;
  /** `allText`: every string value (the events of GenAI instrumentations, `gen_ai.user.message`,
   *  `gen_ai.choice`, carry the message text under varying keys). */
  attributes(attrs: Attributes, clientAddress: boolean, allText?: boolean): Attributes | null;
}

export function createScrubber(registry: Registry, opts: MatchOptions, keepClientAddress: boolean): Scrubber {
  const mark = (category: string, fp: string): string => `[sst:${category}:${fp}]`;

  function text(value: string): string {
    if (value.length > MAX_SCRUB_CHARS) value = value.slice(0, MAX_SCRUB_CHARS) + '[sst:truncated]';
    let out = value;
    const ranges = findValueRanges(value, registry, opts);
    if (ranges.length) {
      let s = '';
      let at = 0;
      for (const r of ranges) {
        if (r.start < at) continue;
        s += value.slice(at, r.start) + mark(r.hit.category, r.hit.fp);
        at = r.end;
      }
      out = s + value.slice(at);
    }
    if (out.includes('@') || out.includes('%40')) {
      out = out.replace(EMAIL_IN_TEXT, (m) => {
        const plain = m.replace(/%40/g, '@');
        const f = registry.fingerprint('email', safeDecode(plain));
        return f ? mark('email', f.fp) : m;
      });
    }
    return out;
  }

  function attributes(attrs: Attributes, clientAddress: boolean, allText = false): Attributes | null {
    let out: Attributes | null = null;
    const set = (k: string, v: AttributeValue) => { if (!out) out = { ...attrs }; out[k] = v; };
    let cleanUrl: string | undefined;
    for (const k of SCRUBBED_KEYS) {
      const v = attrs[k];
      if (typeof v !== 'string' || v.length === 0) continue;
      // url.path / url.query / http.target repeat part of url.full: a part of a clean URL is clean.
      if (cleanUrl !== undefined && k !== 'url.full' && cleanUrl.includes(v)) continue;
      if ((k === 'db.query.text' || k === 'db.statement') && !sqlHasLiterals(v)) continue;
      const s = text(v);
      if (s !== v) set(k, s);
      else if (k === 'url.full') cleanUrl = v;
    }
    for (const k in attrs) {
      if (!allText && !isGenAiText(k)) continue;
      const v = attrs[k];
      if (typeof v === 'string') {
        if (v.length === 0 || (allText && SCRUBBED_KEYS.includes(k))) continue;
        const s = text(v);
        if (s !== v) set(k, s);
      } else if (Array.isArray(v) && v.some((x) => typeof x === 'string')) {
        let changed = false;
        const arr = (v as unknown[]).map((x) => {
          if (typeof x !== 'string' || x.length === 0) return x;
          const s = text(x);
          if (s !== x) changed = true;
          return s;
        });
        if (changed) set(k, arr as AttributeValue);
      }
    }
    if (clientAddress && !keepClientAddress) {
      for (const k of CLIENT_ADDRESS_KEYS) {
        const v = attrs[k];
        if (typeof v !== 'string' || v.length === 0 || v.startsWith('[sst:')) continue;
        const f = registry.fingerprint('ip', v.replace(/^::ffff:/, ''));
        if (f) set(k, mark('ip', f.fp));
      }
    }
    return out;
  }

  return { text, attributes };
}

/**
 * Whether a statement can hold a value at all: string literals (quoted or dollar-quoted), comments,
 * or numbers that are not part of an identifier or a placeholder (`$1`, `:p2`). A parameterized statement
 * (`INSERT … VALUES (?, ?)`) holds only keywords and identifiers; its values travel as parameters,
 * which the DB flow reads. Scanning it on every query cost ~10 µs a span.
 */
export function sqlHasLiterals(sql: string): boolean {
  let prev = 32;
  for (let i = 0; i < sql.length; i++) {
    const c = sql.charCodeAt(i);
    // ' " ` # @ and the comment starters -- and /*
    if (c === 39 || c === 34 || c === 96 || c === 35 || c === 64 || c > 126) return true;
    if ((c === 45 && sql.charCodeAt(i + 1) === 45) || (c === 47 && sql.charCodeAt(i + 1) === 42)) return true;
    // PostgreSQL dollar quoting ($$Jane$$, $tag$…$tag$); `$1` is a placeholder.
    if (c === 36) {
      const d = sql.charCodeAt(i + 1);
      if (!(d >= 48 && d <= 57)) return true;
    }
    if (c >= 48 && c <= 57) {
      const inName = (prev >= 65 && prev <= 90) || (prev >= 97 && prev <= 122) || prev === 95
        || prev === 36 || prev === 58 || prev === 63;
      if (!inName) return true;
      // keep `prev` as the identifier's letter so `t12` stays one name
      continue;
    }
    prev = c;
  }
  return false;
}

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

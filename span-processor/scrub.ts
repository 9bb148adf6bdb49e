// Semconv §7a: upstream instrumentations record raw request data (url.full, url.query, http.target,
// db statements, exception messages). Personal values found there are replaced before export with
// `[sst:<category>:<fingerprint id>]`, keeping the rest of the attribute readable.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { Registry } from './types';
import { findValueRanges, type MatchOptions } from './match';

/** Attributes that can carry request data verbatim. */
export const SCRUBBED_KEYS: readonly string[] = [
  'url.full', 'url.query', 'url.path', 'url.original', 'http.target', 'http.url',
  'db.statement', 'db.query.text', 'exception.message', 'exception.stacktrace',
];
/** Attributes that hold the client's address on SERVER spans. */
export const CLIENT_ADDRESS_KEYS: readonly string[] = [
  'client.address', 'http.client_ip', 'net.peer.ip', 'network.peer.address', 'net.sock.peer.addr',
];

// An email anywhere in an attribute is personal even if nobody tagged it (it may come from a
// store we don't watch); percent-encoded @ too.
const EMAIL_IN_TEXT = /[A-Za-z0-9._%+-]{1,64}(?:@|%40)[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g;
const MAX_SCRUB_CHARS = 64 * 1024;

export interface Scrubber {
  text(value: string): string;
  attributes(attrs: Attributes, clientAddress: boolean): Attributes | null;
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

  function attributes(attrs: Attributes, clientAddress: boolean): Attributes | null {
    let out: Attributes | null = null;
    const set = (k: string, v: AttributeValue) => { if (!out) out = { ...attrs }; out[k] = v; };
    for (const k of SCRUBBED_KEYS) {
      const v = attrs[k];
      if (typeof v !== 'string' || v.length === 0) continue;
      const s = text(v);
      if (s !== v) set(k, s);
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

function safeDecode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

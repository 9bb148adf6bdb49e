// The two baselines the matcher is compared against in the same run:
//  (a) exact string match: the raw ingress values searched verbatim in the egress bytes (the
//      runtime-provenance prototype's approach: no normalization, hashing or decoding);
//  (b) a regex PII scanner with no fingerprints: email / phone / card patterns over the egress
//      text, each hit counted as a share of that category (it cannot know what was collected).
import type { EgressCapture, TaggedValue } from '../span-processor/types';
import type { Prediction } from './quality-run';

/** Shorter raw values ("m", "US") match everywhere; the prototype skipped them too. */
const MIN_EXACT_CHARS = 3;

function egressText(e: EgressCapture): string {
  const parts: string[] = [e.url];
  for (const [k, v] of Object.entries(e.headers)) parts.push(`${k}: ${Array.isArray(v) ? v.join(', ') : v ?? ''}`);
  for (const c of e.body.chunks) parts.push(c.toString('utf8'));
  return parts.join('\n');
}

export function exactStringBaseline(values: readonly TaggedValue[], egress: EgressCapture): Prediction {
  const text = egressText(egress);
  const out: Prediction = new Map();
  for (const v of values) {
    if (v.category === 'user_agent') continue;
    const raw = v.value.trim();
    if (raw.length < MIN_EXACT_CHARS || out.has(v.category)) continue;
    if (text.includes(raw)) out.set(v.category, `exact raw value found (ingress ${v.field})`);
  }
  return out;
}

const EMAIL_RE = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}/g;
/** A `+` or a digit, then 7–17 more digits and phone punctuation, ending on a digit. */
const PHONE_RE = /(?<![\w.])\+?\(?\d[\d ().-]{6,18}\d(?![\w])/g;
const CARD_RE = /(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)/g;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

function decodeForScan(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export function regexScannerBaseline(egress: EgressCapture): Prediction {
  const raw = egressText(egress);
  const text = `${raw}\n${decodeForScan(raw)}`;
  const out: Prediction = new Map();
  const email = text.match(EMAIL_RE);
  if (email) out.set('email', `email pattern (${email.length} hit${email.length > 1 ? 's' : ''})`);
  for (const m of text.match(CARD_RE) ?? []) {
    const d = m.replace(/\D/g, '');
    if (d.length >= 13 && d.length <= 19 && luhn(d)) { out.set('card', 'Luhn-valid card pattern'); break; }
  }
  for (const m of text.match(PHONE_RE) ?? []) {
    const d = m.replace(/\D/g, '');
    if (d.length >= 8 && d.length <= 15 && !(out.has('card') && d.length >= 13)) { out.set('phone', 'phone pattern'); break; }
  }
  return out;
}

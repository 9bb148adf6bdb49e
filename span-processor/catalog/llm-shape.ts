// OpenAI-compatible shape rule: self-hosted models and LLM gateways live on hosts no catalog can
// list, so an unknown host is treated as an LLM when the request looks like one.
//
// Path rule (query and one trailing slash ignored, case-sensitive):
//   strong endings `/chat/completions`, `:generateContent`, `:streamGenerateContent` → always LLM;
//   weak endings `/responses`, `/messages`, `/embeddings`, `/completions` → LLM unless a body is
//   given whose top-level keys include none of "model" / "input" / "prompt" (a chat app's
//   `POST /api/messages {"to":…,"text":…}` is not an LLM call).
// Body rule: a JSON object whose first 4 KB hold a top-level "model" key and one of "messages",
// "input", "prompt". A small scanner reads the top-level keys directly from the bytes: exact for
// nesting and strings, no JSON.parse, no copy of the body.

export type LlmOperation = 'chat' | 'responses' | 'messages' | 'embeddings' | 'completions' | 'generate';
export type LlmShape = { readonly operation: LlmOperation };

/** Bytes of the body examined by the key scanner. */
export const LLM_BODY_SCAN_LIMIT = 4096;

const RESULT: Readonly<Record<LlmOperation, LlmShape>> = Object.freeze({
  chat: Object.freeze({ operation: 'chat' as const }),
  responses: Object.freeze({ operation: 'responses' as const }),
  messages: Object.freeze({ operation: 'messages' as const }),
  embeddings: Object.freeze({ operation: 'embeddings' as const }),
  completions: Object.freeze({ operation: 'completions' as const }),
  generate: Object.freeze({ operation: 'generate' as const }),
});

// Longer suffixes first: `/chat/completions` must win over `/completions`.
const STRONG: ReadonlyArray<readonly [string, LlmOperation]> = [
  ['/chat/completions', 'chat'],
  [':streamGenerateContent', 'generate'],
  [':generateContent', 'generate'],
];
const WEAK: ReadonlyArray<readonly [string, LlmOperation]> = [
  ['/responses', 'responses'],
  ['/messages', 'messages'],
  ['/embeddings', 'embeddings'],
  ['/completions', 'completions'],
];

const KEY_MODEL = 1;
const KEY_MESSAGES = 2;
const KEY_INPUT = 4;
const KEY_PROMPT = 8;
const NOT_AN_OBJECT = -1;
const KEYS: ReadonlyArray<readonly [string, number]> = [
  ['model', KEY_MODEL], ['messages', KEY_MESSAGES], ['input', KEY_INPUT], ['prompt', KEY_PROMPT],
];

type CodeAt = (i: number) => number;

function keyBit(at: CodeAt, start: number, end: number): number {
  const len = end - start;
  for (const [name, bit] of KEYS) {
    if (name.length !== len) continue;
    let same = true;
    for (let k = 0; k < len; k++) {
      if (at(start + k) !== name.charCodeAt(k)) { same = false; break; }
    }
    if (same) return bit;
  }
  return 0;
}

/** Bitmask of the interesting top-level keys of a JSON object prefix, or NOT_AN_OBJECT. */
export function scanTopLevelKeys(body: Buffer | string): number {
  const isString = typeof body === 'string';
  const at: CodeAt = isString ? (i) => body.charCodeAt(i) : (i) => body[i]!;
  const len = Math.min(body.length, LLM_BODY_SCAN_LIMIT);
  let i = 0;
  // Skip a BOM and leading whitespace.
  if (isString && len > 0 && at(0) === 0xfeff) i = 1;
  else if (!isString && len >= 3 && at(0) === 0xef && at(1) === 0xbb && at(2) === 0xbf) i = 3;
  while (i < len && (at(i) === 0x20 || at(i) === 0x0a || at(i) === 0x0d || at(i) === 0x09)) i++;
  if (i >= len || at(i) !== 0x7b /* { */) return NOT_AN_OBJECT;
  let mask = 0;
  let depth = 1;
  let expectKey = true;
  i++;
  while (i < len) {
    const c = at(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < len) {
        const d = at(j);
        if (d === 0x5c /* \ */) j += 2;
        else if (d === 0x22) break;
        else j++;
      }
      if (j >= len) break; // string cut by the scan limit
      if (depth === 1 && expectKey) {
        mask |= keyBit(at, i + 1, j);
        expectKey = false;
        // Enough to decide both rules: stop before reading long message contents.
        if ((mask & KEY_MODEL) !== 0 && (mask & (KEY_MESSAGES | KEY_INPUT | KEY_PROMPT)) !== 0) return mask;
      }
      i = j + 1;
      continue;
    }
    if (c === 0x7b || c === 0x5b /* { [ */) depth++;
    else if (c === 0x7d || c === 0x5d /* } ] */) {
      depth--;
      if (depth === 0) break;
    } else if (c === 0x2c /* , */ && depth === 1) expectKey = true;
    i++;
  }
  return mask;
}

function endsAt(path: string, end: number, suffix: string): boolean {
  const start = end - suffix.length;
  return start >= 0 && path.startsWith(suffix, start);
}

function hasBody(body: Buffer | string | undefined): body is Buffer | string {
  return body !== undefined && body !== null && body.length > 0;
}

/** Native substring pre-check of the scan window, so most non-LLM bodies skip the byte loop.
 *  Long strings are not searched (indexOf has no end bound): the scanner then decides. */
function mayContain(body: Buffer | string, needle: string): boolean {
  if (typeof body !== 'string') return body.subarray(0, LLM_BODY_SCAN_LIMIT).indexOf(needle) >= 0;
  if (body.length > 4 * LLM_BODY_SCAN_LIMIT) return true;
  const at = body.indexOf(needle);
  return at >= 0 && at < LLM_BODY_SCAN_LIMIT;
}

/** The shape rule for hosts the catalog does not know. Never throws. */
export function looksLikeLlmRequest(path: string, body: Buffer | string | undefined): LlmShape | null {
  const usable = hasBody(body) && (typeof body === 'string' || Buffer.isBuffer(body));
  if (typeof path === 'string') {
    const q = path.indexOf('?');
    const h = path.indexOf('#');
    let end = q < 0 ? (h < 0 ? path.length : h) : (h < 0 ? q : Math.min(q, h));
    if (end > 1 && path.charCodeAt(end - 1) === 0x2f /* / */) end--;
    for (const [suffix, op] of STRONG) if (endsAt(path, end, suffix)) return RESULT[op];
    for (const [suffix, op] of WEAK) {
      if (!endsAt(path, end, suffix)) continue;
      if (!usable) return RESULT[op];
      const mask = scanTopLevelKeys(body);
      return mask > 0 && (mask & (KEY_MODEL | KEY_INPUT | KEY_PROMPT)) !== 0 ? RESULT[op] : null;
    }
  }
  if (!usable || !mayContain(body, '"model"')) return null;
  const mask = scanTopLevelKeys(body);
  if (mask > 0 && (mask & KEY_MODEL) !== 0) {
    if (mask & KEY_MESSAGES) return RESULT.chat;
    if (mask & KEY_INPUT) return RESULT.responses;
    if (mask & KEY_PROMPT) return RESULT.completions;
  }
  return null;
}

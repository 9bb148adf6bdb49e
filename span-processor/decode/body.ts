// decodeBody: Content-Encoding undo, then dispatch on the media type (with sniffing for missing or
// generic types, because egress clients often send JSON as text/plain or octet-stream).
import { decompress, hasGzipMagic, parseCoding, type Coding } from './decompress';
import { looksLikeJson, tryParseJson, walkJson } from './json-walk';
import { decodeMultipart } from './multipart';
import { newContext } from './nested';
import { addError, pushLeaf, toResult, type DecodeContext, type DecodeKind, type DecodeOptions, type DecodeResult } from './options';
import { decodeParams } from './params';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const MAX_CODINGS = 4;
const MAX_NDJSON_LINES = 10000;

type MediaClass = 'json' | 'form' | 'multipart' | 'text' | 'binary' | 'sniff';

function mediaClass(mime: string): MediaClass {
  if (mime === '') return 'sniff';
  if (mime === 'application/json' || mime.endsWith('+json') || mime === 'text/json'
    || mime === 'application/x-ndjson' || mime === 'application/jsonl' || mime === 'application/json-seq'
    || mime === 'application/csp-report') return 'json';
  if (mime === 'application/x-www-form-urlencoded') return 'form';
  if (mime.startsWith('multipart/form-data')) return 'multipart';
  if (mime.startsWith('text/') || mime.endsWith('+xml') || mime === 'application/xml'
    || mime === 'application/javascript' || mime === 'application/graphql') return 'text';
  if (mime.startsWith('image/') || mime.startsWith('audio/') || mime.startsWith('video/') || mime.startsWith('font/')
    || mime === 'application/pdf' || mime === 'application/zip' || mime.includes('protobuf')
    || mime.startsWith('application/grpc')) return 'binary';
  return 'sniff';
}

export function decodeBody(body: Buffer, contentType: string | undefined, contentEncoding: string | undefined, opts?: DecodeOptions): DecodeResult {
  const ctx = newContext(opts);
  try {
    return toResult(ctx, decodeInto(ctx, body, contentType ?? '', contentEncoding ?? ''));
  } catch {
    // every parser catches its own input errors; this guards against the unexpected
    addError(ctx, 'body decoding failed');
    return toResult(ctx, 'binary');
  }
}

function decodeInto(ctx: DecodeContext, body: Buffer, contentType: string, contentEncoding: string): DecodeKind {
  if (!Buffer.isBuffer(body) || body.length === 0) return 'empty';
  let buf = body;
  let layers: string[] = [];
  const codings = contentEncoding.split(',');
  if (codings.length > MAX_CODINGS) {
    addError(ctx, 'too many content-encodings');
    return 'binary';
  }
  // listed in the order applied: undo from the last
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = parseCoding(codings[i]);
    if (coding === 'identity') continue;
    if (coding === null) {
      addError(ctx, 'unsupported content-encoding');
      return 'binary';
    }
    // a declared gzip without the magic bytes was already decoded by the client library
    if (coding === 'gzip' && !hasGzipMagic(buf)) continue;
    const out = undo(ctx, buf, coding, layers);
    if (out === null) return 'binary';
    buf = out;
    layers = [coding, ...layers];
  }
  if (layers.length === 0 && hasGzipMagic(buf)) {
    const out = undo(ctx, buf, 'gzip', layers);
    if (out === null) return 'binary';
    buf = out;
    layers = ['gzip'];
  }
  if (buf.length === 0) return 'empty';
  const depth = layers.length;
  const mime = contentType.split(';', 1)[0].trim().toLowerCase();
  switch (mediaClass(mime)) {
    case 'json':
      return decodeJsonBody(ctx, buf.toString('utf8'), layers, depth, true);
    case 'form':
      decodeParams(ctx, buf.toString('utf8'), 'form', layers, depth);
      return 'form';
    case 'multipart':
      decodeMultipart(ctx, buf, contentType, layers, depth);
      return 'multipart';
    case 'text':
      return decodeText(ctx, buf.toString('utf8'), layers, depth);
    case 'binary':
      return 'binary';
    case 'sniff': {
      const text = printableText(buf);
      return text === null ? 'binary' : decodeText(ctx, text, layers, depth);
    }
  }
}

function undo(ctx: DecodeContext, buf: Buffer, coding: Coding, layers: string[]): Buffer | null {
  if (layers.length >= ctx.maxDepth) {
    ctx.truncated = true;
    return null;
  }
  return decompress(ctx, buf, coding);
}

/** Text that is really JSON is walked as JSON; otherwise one `body` leaf (expanded when nested). */
function decodeText(ctx: DecodeContext, text: string, layers: string[], depth: number): DecodeKind {
  if (looksLikeJson(text)) return decodeJsonBody(ctx, text, layers, depth, false);
  pushLeaf(ctx, 'body', '', text, layers);
  if (ctx.expand !== null) ctx.expand(ctx, text, 'body', '', layers, depth);
  return 'text';
}

function decodeJsonBody(ctx: DecodeContext, text: string, layers: string[], depth: number, declared: boolean): DecodeKind {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parsed = tryParseJson(clean);
  if (parsed !== undefined) {
    walkJson(ctx, parsed.value, 'body', '', layers, depth);
    return 'json';
  }
  if (decodeJsonLines(ctx, clean, layers, depth)) return 'json';
  if (declared) addError(ctx, 'malformed JSON body');
  pushLeaf(ctx, 'body', '', text, layers);
  if (ctx.expand !== null) ctx.expand(ctx, text, 'body', '', layers, depth);
  return 'text';
}

/** NDJSON / envelope formats (Sentry, Datadog): every non-empty line is a JSON document → `body[i]`. */
function decodeJsonLines(ctx: DecodeContext, text: string, layers: string[], depth: number): boolean {
  if (text.indexOf('\n') < 0) return false;
  const docs: unknown[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    if (line.length > 0) {
      const parsed = tryParseJson(line);
      if (parsed === undefined) return false;
      docs.push(parsed.value);
      if (docs.length >= MAX_NDJSON_LINES) {
        ctx.truncated = true;
        break;
      }
    }
    start = end + 1;
  }
  if (docs.length === 0) return false;
  for (let i = 0; i < docs.length; i++) walkJson(ctx, docs[i], `body[${i}]`, '', layers, depth);
  return true;
}

/** UTF-8 text when the bytes are valid UTF-8 without many control characters (sniffing unknown types). */
function printableText(buf: Buffer): string | null {
  let text: string;
  try {
    text = strictUtf8.decode(buf);
  } catch {
    // a body cut at the capture limit may end inside a multi-byte character
    try {
      text = strictUtf8.decode(buf.subarray(0, Math.max(0, buf.length - 3)));
    } catch {
      return null;
    }
  }
  const sample = Math.min(text.length, 4096);
  let control = 0;
  for (let i = 0; i < sample; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127) control++;
  }
  return control > sample * 0.05 ? null : text;
}

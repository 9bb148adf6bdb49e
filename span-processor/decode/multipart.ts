// multipart/form-data text fields via busboy, drained synchronously: the whole captured buffer is
// written in one call, and file parts get a 0-byte size limit so their content is skipped without
// back-pressure (back-pressure would pause the parser and lose the fields after a file).
// Outgoing payloads (nested decoding) also read text-like file parts: a CSV of customers uploaded
// to a CRM is a share; an uploaded photo is not inspected.
import busboy from 'busboy';
import { addError, pushLeaf, type DecodeContext } from './options';
import { RepeatCounter, paramKey } from './paths';

const TEXT_FILE = /^(?:text\/|application\/(?:json|x-ndjson|csv|xml|x-www-form-urlencoded)\b)/i;
const MAX_FILE_TEXT = 1 << 20;

export function decodeMultipart(ctx: DecodeContext, body: Buffer, contentType: string, layers: string[], depth: number): void {
  const fields: Array<[string, string, boolean]> = [];
  let collecting = true;
  const readFiles = ctx.expand !== null;
  const fileLimit = readFiles ? Math.max(0, Math.min(ctx.maxBytes, MAX_FILE_TEXT)) : 0;
  const files: Array<{ name: string; stream: NodeJS.ReadableStream & { truncated?: boolean } }> = [];
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      // Browsers send field names as UTF-8 (`téléphone`); busboy's default reads them as latin1.
      defParamCharset: 'utf8',
      fileHwm: fileLimit + 1,
      limits: {
        fileSize: fileLimit,
        fields: ctx.maxLeaves,
        parts: ctx.maxLeaves * 2,
        fieldSize: Math.max(1, Math.min(ctx.maxBytes, 1 << 20)),
      },
    });
  } catch {
    addError(ctx, 'malformed multipart body');
    return;
  }
  parser.on('field', (name: string, value: string, info: busboy.FieldInfo) => {
    if (collecting) fields.push([name, value, info.valueTruncated]);
  });
  parser.on('file', (name: string, stream: NodeJS.ReadableStream & { truncated?: boolean }, info: busboy.FileInfo) => {
    if (!readFiles || !TEXT_FILE.test(info.mimeType ?? '')) { stream.resume(); return; }
    // No listener: the part's bytes stay buffered in the stream (its high-water mark is above the
    // size limit, so the parser is never paused) and are read synchronously after `end()`.
    files.push({ name, stream });
  });
  parser.on('fieldsLimit', () => { ctx.truncated = true; });
  parser.on('partsLimit', () => { ctx.truncated = true; });
  // A body cut at the capture limit ends with "Unexpected end of form", reported after this
  // function returned; the fields parsed so far are already collected, so it is ignored.
  parser.on('error', () => undefined);
  try {
    parser.write(body);
    parser.end();
  } catch {
    addError(ctx, 'malformed multipart body');
  }
  collecting = false;
  for (const f of files) {
    const chunks: Buffer[] = [];
    for (let c = f.stream.read() as Buffer | null; c !== null; c = f.stream.read() as Buffer | null) chunks.push(c);
    if (chunks.length) fields.push([f.name, Buffer.concat(chunks).toString('utf8'), f.stream.truncated === true]);
    f.stream.resume();
  }

  const counter = new RepeatCounter();
  for (const [name, value, cut] of fields) {
    if (cut) ctx.truncated = true;
    const path = counter.path('form', name);
    const key = paramKey(name);
    if (!pushLeaf(ctx, path, key, value, layers)) return;
    if (ctx.expand !== null && value.length > 0) ctx.expand(ctx, value, path, key, layers, depth);
  }
}

// multipart/form-data text fields via busboy, drained synchronously: the whole captured buffer is
// written in one call, and file parts get a 0-byte size limit so their content is skipped without
// back-pressure (back-pressure would pause the parser and lose the fields after a file).
import busboy from 'busboy';
import { addError, pushLeaf, type DecodeContext } from './options';
import { RepeatCounter, paramKey } from './paths';

export function decodeMultipart(ctx: DecodeContext, body: Buffer, contentType: string, layers: string[], depth: number): void {
  const fields: Array<[string, string, boolean]> = [];
  let collecting = true;
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      // Browsers send field names as UTF-8 (`téléphone`); busboy's default reads them as latin1.
      defParamCharset: 'utf8',
      limits: {
        fileSize: 0,
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
  parser.on('file', (_name: string, stream: NodeJS.ReadableStream) => {
    stream.resume();
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

  const counter = new RepeatCounter();
  for (const [name, value, cut] of fields) {
    if (cut) ctx.truncated = true;
    const path = counter.path('form', name);
    const key = paramKey(name);
    if (!pushLeaf(ctx, path, key, value, layers)) return;
    if (ctx.expand !== null && value.length > 0) ctx.expand(ctx, value, path, key, layers, depth);
  }
}

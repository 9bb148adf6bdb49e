// Random outbound calls for the differential fuzz: which client, which body type, what content.
import fc from 'fast-check';

export type BodyKind = 'string' | 'buffer' | 'stream' | 'async-iterable' | 'form-data' | 'url-search-params' | 'blob' | 'uint8array' | 'none';

export interface OutboundCall {
  client: 'fetch' | 'http';
  kind: BodyKind;
  method: string;
  /** The body content (the app turns it into the body type). */
  text: string;
  contentType?: string;
}

const text = fc.oneof(
  fc.record({ email: fc.emailAddress(), phone: fc.constant('+1 415 555 0188'), note: fc.string({ maxLength: 30 }) }).map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.constant(''),
);

export const outboundCall: fc.Arbitrary<OutboundCall> = fc.record({
  client: fc.constantFrom<'fetch' | 'http'>('fetch', 'http'),
  kind: fc.constantFrom<BodyKind>('string', 'buffer', 'stream', 'async-iterable', 'form-data', 'url-search-params', 'blob', 'uint8array', 'none'),
  text,
  contentType: fc.option(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream'), { nil: undefined }),
}).map((c) => ({ ...c, method: c.kind === 'none' ? 'GET' : 'POST' }));

// Types shared by the capture hooks (instrumentation/) and the decision side (span-processor/).
// Every box of the pipeline takes and returns these plain shapes, so each is testable alone.

/** Categories of semconv §4. Custom categories from config are plain strings. */
export type BuiltinCategory =
  | 'email' | 'phone' | 'name' | 'birthdate' | 'gender' | 'income' | 'address' | 'postal_code'
  | 'city' | 'region' | 'country' | 'ip' | 'user_agent' | 'device_id' | 'ad_click_id' | 'user_id'
  | 'card' | 'iban' | 'gov_id' | 'password' | 'health' | 'derived';
export type Category = BuiltinCategory | (string & {});

/** Categories that only count as shared next to a strong identifier of the same subject, or under a
 * field name that expects them (semconv §4). */
export const LOW_ENTROPY: ReadonlySet<string> = new Set([
  'gender', 'city', 'region', 'country', 'postal_code', 'birthdate',
]);

/** Order of strength for choosing a subject's identifier (semconv §2 `sst.subjects`). */
export const SUBJECT_ORDER: readonly string[] = ['email', 'phone', 'user_id'];

// ------------------------------------------------------------------------------------------------
// Capture: bounded copies of what crossed the process boundary. No parsing happens at capture.

export type HeaderMap = Record<string, string | string[] | undefined>;

export interface BodyCapture {
  /** Chunks copied as they passed, up to the capture limit. */
  chunks: Buffer[];
  /** Bytes copied so far (≤ limit). */
  bytes: number;
  /** The body was larger than the limit: only the first `bytes` were copied. */
  truncated: boolean;
  /** The stream ended (push(null) / end()); false when aborted or never finished. */
  complete: boolean;
}

export interface IngressCapture {
  kind: 'ingress';
  method: string;
  /** Request target as received: path and query, e.g. `/signup?ref=x`. */
  target: string;
  headers: HeaderMap;
  /** Client address: first X-Forwarded-For hop when present, else the socket's remote address. */
  clientIp?: string;
  body: BodyCapture;
  /** What went wrong inside the capture hook (a message, never payload bytes). */
  error?: string;
}

export interface EgressCapture {
  kind: 'egress';
  method: string;
  /** Full URL as sent, e.g. `https://graph.facebook.com/v21.0/123/events?access_token=…`. */
  url: string;
  /** Hostname only, lowercase, no port. */
  host: string;
  headers: HeaderMap;
  body: BodyCapture;
  /** What went wrong inside the capture hook (a message, never payload bytes). */
  error?: string;
  /** The response, captured only for calls that look like LLM requests (gen_ai usage and the
   *  completion are read from it at span end). */
  response?: ResponseCapture;
}

/** Bounded copy of an egress response body, as it came off the wire (still content-encoded). */
export interface ResponseCapture {
  status?: number;
  headers: HeaderMap;
  body: BodyCapture;
  error?: string;
}

/** A database call: the statement, its bound values and (capped) result rows, copied as text when
 *  the driver returned, so later mutation by the app cannot change what is inspected. */
export interface DbCapture {
  kind: 'db';
  /** `db.system.name` value: `postgresql`, `mysql`, `sqlite`. */
  system: string;
  /** Statement text as sent (placeholders, not values), capped. */
  statement: string;
  /** Positional parameter values as text; null for SQL NULL and binary values. */
  params: Array<string | null>;
  /** Named parameters (`@name`, `:name`, `$name`) by name without the prefix. */
  named?: Record<string, string | null>;
  /** Result column names in row order (driver-reported; `table.column` when the driver nests by table). */
  columns?: string[];
  /** Result rows as text cells aligned with `columns`, capped (config `db.maxRows` / `db.maxRowBytes`). */
  rows?: Array<Array<string | null>>;
  /** Rows the statement returned in total (≥ rows.length). */
  rowCount?: number;
  /** Parameters or rows were cut at the caps. */
  truncated: boolean;
  error?: string;
}

export type Capture = IngressCapture | EgressCapture | DbCapture;

// ------------------------------------------------------------------------------------------------
// Decode: payload bytes → string leaves with paths (shared by ingress detection and egress matching).

export interface Leaf {
  /** Dotted path with source prefix: `body.user.emails[0]`, `form.phone`, `query.ref`, `cookie._fbp`,
   *  `header.x-user`, `url.path[2]`, `query.data>body.properties.email` for nested layers. */
  path: string;
  /** Last path segment name, lowercased (`emails` for `body.user.emails[0]`); '' if none. */
  key: string;
  value: string;
  /** Decoding layers applied to reach this leaf, innermost first, e.g. ['base64'] or ['gzip']. */
  layers: string[];
}

// ------------------------------------------------------------------------------------------------
// Detect: leaves → tagged personal values.

export interface TaggedValue {
  category: Category;
  /** Where it was found, with source prefix (semconv §2 `sst.fields`). */
  field: string;
  /** The value as it appeared (in memory only; never exported). */
  value: string;
  /** ISO 3166 region for reading a national phone number, when the request says where the person
   *  lives (a sibling `country` field); else the configured default applies. */
  region?: string;
}

export interface DetectResult {
  values: TaggedValue[];
  truncated: boolean;
  errors: string[];
}

// ------------------------------------------------------------------------------------------------
// Fingerprint registry: every variant × form of a tagged value → its keyed id.

/** How a value was disguised before hashing (the vendor normalization that produced the variant). */
export type VariantTransform = 'plain' | 'lowercase' | 'normalized' | 'substring';
export type DigestForm = 'sha256' | 'sha1' | 'md5';

export interface RegistryHit {
  fp: string;
  category: Category;
  /** Fingerprint id of the subject's strongest identifier, when known. */
  subject?: string;
  variant: VariantTransform;
  /** Undefined for a plain (unhashed) form. */
  digest?: DigestForm;
}

export interface RegisterInput {
  category: Category;
  value: string;
  subject?: string;
  /** Phone region hint (see TaggedValue.region). */
  region?: string;
}

export interface Registry {
  /** Canonical form, fingerprint id, and index all variants and forms. Returns null when the value is
   *  not valid for the category (e.g. an unparseable phone). */
  register(input: RegisterInput): { fp: string; canonical: string } | null;
  /** Canonicalize and fingerprint without indexing (for subject ids and `sst fingerprint`). */
  fingerprint(category: Category, value: string, region?: string): { fp: string; canonical: string } | null;
  /** Exact lookup of a plain token (case-sensitive as given: callers pass the token and its lowercase). */
  lookupPlain(token: string): readonly RegistryHit[] | undefined;
  /** Lookup of decoded digest bytes (16 = md5, 20 = sha1, 32 = sha256). */
  lookupDigest(bytes: Uint8Array): readonly RegistryHit[] | undefined;
  /** Optional fast path (issue 8): lookup by a key hash the matcher computed over a token range in
   *  place (registry/key-hash.ts); `digestBytes` 0 for plain keys, else the digest's byte length. */
  lookupHashed?(h1: number, h2: number, digestBytes: number): readonly RegistryHit[] | undefined;
  /** Optional: nothing registered, so nothing can be matched. */
  isEmpty?(): boolean;
  /** Optional: false when no plain key has ever had the ISO date shape `YYYY-MM-DD`, so a date
   *  written in other forms in a payload cannot match and the matcher skips looking for dates. */
  mayHaveDates?(): boolean;
  stats(): { values: number; keys: number; bytes: number };
  clear(): void;
}

// ------------------------------------------------------------------------------------------------
// Match: egress capture → matches.

export interface ShareMatch {
  fp: string;
  category: Category;
  subject?: string;
  /** Path in the outgoing payload (semconv §2 `sst.fields`). */
  field: string;
  /** Chain, outermost last: `sha256`, `lowercase+sha256+base64`, `gzip` (plain value in a gzip body), `normalized+sha256+urlencoded`. A leading `plain` is dropped when anything follows. */
  transform: string;
}

export interface MatchResult {
  matches: ShareMatch[];
  truncated: boolean;
  errors: string[];
}

// ------------------------------------------------------------------------------------------------
// Destination catalog.

export type DestinationKind =
  | 'advertising' | 'analytics' | 'cdp' | 'crm' | 'email' | 'sms' | 'llm' | 'payments' | 'support'
  | 'observability' | 'internal' | 'unknown';

export interface Destination {
  host: string;
  vendor: string;
  kind: DestinationKind;
  /** Finer kind from the catalog (`ads_capi`, `ads_audience`, `email_crm`, …) when known. */
  catalogKind?: string;
  thirdParty: boolean;
}

// The diagnostic log: one line per problem kind on stderr, prefixed `sst:`. Never raw values:
// callers pass messages built from kinds, keys and sizes, not from payloads.
const seen = new Map<string, number>();
const MAX_KINDS = 256;

export type DiagSink = (line: string) => void;
let sink: DiagSink = (line) => {
  try { process.stderr.write(line + '\n'); } catch { /* stderr closed: nothing else to do */ }
};

export function setDiagSink(next: DiagSink): void { sink = next; }

/** Log once per kind; later occurrences are only counted (see diagCounts). */
export function diagOnce(kind: string, message: string): void {
  const n = seen.get(kind) ?? 0;
  if (n === 0 && seen.size < MAX_KINDS) sink(`sst: ${message}`);
  if (n > 0 || seen.size < MAX_KINDS) seen.set(kind, n + 1);
}

/** Always log (startup, config, shutdown summaries). */
export function diag(message: string): void { sink(`sst: ${message}`); }

export function diagCounts(): Record<string, number> { return Object.fromEntries(seen); }

// Engine messages can quote their input (JSON.parse does: `"jane@x.com" is not valid JSON`), so
// quoted text, emails, long digit runs and long tokens are cut out before a message goes anywhere.
const QUOTED = /"[^"\n]{0,400}"|'[^'\n]{0,400}'|`[^`\n]{0,400}`/g;
const RISKY = /[^\s@]{1,64}@[^\s@]{1,255}|\d[\d .()+-]{5,}\d|[A-Za-z0-9+/=_-]{20,}/g;

/** An error's message without anything that could be a payload: first line, redacted, capped. */
export function errorText(e: unknown): string {
  const m = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const line = m.split('\n', 1)[0].slice(0, 1000).replace(QUOTED, '[…]').replace(RISKY, '[…]');
  return line.length > 200 ? line.slice(0, 200) + '…' : line;
}

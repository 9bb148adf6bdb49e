// Every failure reaches the user as ONE line on stderr and a non-zero exit code; stack traces only
// with SST_DEBUG=1.
import { StoreError } from '../clickhouse/client';

export const EXIT_OK = 0;
/** A gate (`--fail-on`) tripped. */
export const EXIT_GATE = 1;
/** Bad input: unknown flag, bad duration, bad value. */
export const EXIT_USAGE = 2;
/** The store failed: missing store, SQL error, unreachable server. */
export const EXIT_STORE = 3;
/** A bug. */
export const EXIT_INTERNAL = 70;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function exitCodeFor(e: unknown): number {
  if (e instanceof UsageError) return EXIT_USAGE;
  if (e instanceof StoreError) return EXIT_STORE;
  return EXIT_INTERNAL;
}

const LINE_BREAKS = /[\r\n]+/;
/** Store errors can quote a whole query; a terminal line needs far less. */
const MAX_MESSAGE_CHARS = 4096;

export function errorLine(e: unknown): string {
  const msg = (e instanceof Error ? e.message : String(e)).slice(0, MAX_MESSAGE_CHARS);
  // Split and trim instead of one /\s*[\r\n]+\s*/ replace: that regex backtracks quadratically
  // on long runs of spaces without a line break.
  const text = msg.split(LINE_BREAKS).map((l) => l.trim()).filter(Boolean).join(' ') || 'unknown error';
  return e instanceof UsageError || e instanceof StoreError ? `sst: ${text}` : `sst: internal error: ${text}`;
}

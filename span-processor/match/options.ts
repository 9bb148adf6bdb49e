import type { DecodeOptions } from '../decode';

export interface MatchOptions {
  /** ISO 3166 region for national phone numbers in payloads (config `defaultPhoneRegion`). */
  defaultPhoneRegion: string;
  /** Report user agents sent to vendors (config `shareUserAgent`). */
  shareUserAgent?: boolean;
  decode?: DecodeOptions;
  /** Registry lookups per capture (default 20000); beyond it the result is truncated. */
  maxTokens?: number;
}

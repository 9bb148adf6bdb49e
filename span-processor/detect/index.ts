// Ingress detection: which string leaves of a request (or a DB row) are personal data, and of what
// category. Rules and validators are compiled once here; detection per call is O(leaves).
import type { Leaf, TaggedValue, DetectResult, IngressCapture } from '../types';
import type { SstConfig } from '../config';
import { decodeBody, decodeCookies, decodeHeaders, decodeQuery } from '../decode';
import { compileFieldMatcher } from './field-names';
import { builtinRules } from './rules-file';
import { configFieldRules } from './config-rules';
import { createPhoneValidator } from './phone';
import { createCategoryChecks } from './value-checks';
import { createLeafDetector } from './detect-leaves';
import { createIngressDetector } from './ingress';
import { TagCollector } from './tag-collector';

export interface Detector {
  detectLeaves(leaves: readonly Leaf[]): TaggedValue[];
  detectIngress(capture: IngressCapture): DetectResult;
}

export type DetectorConfig = Pick<SstConfig, 'fieldRules' | 'defaultPhoneRegion' | 'captureHeaders' | 'captureLimit'>;

/** Throws ConfigError when a config field rule has an invalid `pattern`. */
export function createDetector(cfg: DetectorConfig): Detector {
  const builtin = builtinRules();
  const matcher = compileFieldMatcher([configFieldRules(cfg.fieldRules ?? []), builtin.rules], builtin.qualifiers);
  const phone = createPhoneValidator(cfg.defaultPhoneRegion ?? 'US');
  const check = createCategoryChecks({ phone, genderValues: builtin.genderValues, regionStopwords: builtin.regionStopwords });
  const detect = createLeafDetector({ matcher, check, phone, defaultRegion: cfg.defaultPhoneRegion });
  const detectIngress = createIngressDetector({
    decoders: { decodeBody, decodeQuery, decodeHeaders, decodeCookies },
    detectLeaves: detect,
    matcher,
    captureHeaders: cfg.captureHeaders ?? [],
    captureLimit: cfg.captureLimit,
  });

  return {
    detectLeaves(leaves) {
      const out = new TagCollector();
      try {
        if (Array.isArray(leaves)) detect(leaves, out);
      } catch {
        // Detection must never break the request path; what was found so far stands.
      }
      return out.values;
    },
    detectIngress(capture) {
      try {
        return detectIngress(capture);
      } catch (e) {
        return { values: [], truncated: false, errors: [`detect failed (${(e as Error)?.name ?? 'error'})`] };
      }
    },
  };
}

export { normalizeFieldName } from './field-names';
export { isEmail, findEmails } from './email';
export { isIban, isCardNumber, luhnValid } from './financial';

// Field-name rules from config (`fieldRules`), matched before the built-in ones.
import { ConfigError, type FieldRuleConfig } from '../config';
import type { FieldRuleSpec } from './field-names';

/** Config rules as matcher rules. An invalid `pattern` is a config error naming the key (the
 *  schema accepts any string there), thrown once at startup. */
export function configFieldRules(rules: readonly FieldRuleConfig[]): FieldRuleSpec[] {
  return rules.map((rule, i) => {
    const patterns: RegExp[] = [];
    if (rule.pattern !== undefined) {
      try {
        patterns.push(new RegExp(rule.pattern));
      } catch {
        throw new ConfigError(`invalid SST config: key "fieldRules.${i}.pattern": expected a valid regular expression`);
      }
    }
    return { category: rule.category, names: rule.names, patterns };
  });
}

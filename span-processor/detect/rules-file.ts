// Loads the built-in field-name rules (field-rules.yaml, shipped beside this module) once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { normalizeFieldName, type FieldRuleSpec } from './field-names';

export interface BuiltinRules {
  qualifiers: string[];
  rules: FieldRuleSpec[];
  /** Normalized words accepted as a gender value. */
  genderValues: ReadonlySet<string>;
  /** Normalized words that fill `state`/`region` fields without being a place. */
  regionStopwords: ReadonlySet<string>;
}

export const BUILTIN_RULES_FILE = join(__dirname, 'field-rules.yaml');

let cached: BuiltinRules | undefined;

/** The shipped rules, parsed on first use. A broken file is a packaging bug, so it throws. */
export function builtinRules(): BuiltinRules {
  cached ??= parseRulesFile(readFileSync(BUILTIN_RULES_FILE, 'utf8'), BUILTIN_RULES_FILE);
  return cached;
}

export function parseRulesFile(text: string, where: string): BuiltinRules {
  const doc: unknown = parseYaml(text, { schema: 'core' });
  if (!isRecord(doc) || !Array.isArray(doc.rules)) throw new Error(`${where}: expected a "rules" list`);
  const rules: FieldRuleSpec[] = doc.rules.map((raw: unknown, i: number) => {
    if (!isRecord(raw) || typeof raw.category !== 'string') throw new Error(`${where}: rules[${i}] needs a category`);
    return {
      category: raw.category,
      names: stringList(raw.names, `${where}: rules[${i}].names`),
      qualified: raw.qualified === true,
      notUnder: stringList(raw.notUnder, `${where}: rules[${i}].notUnder`),
      patterns: stringList(raw.patterns, `${where}: rules[${i}].patterns`).map((p) => new RegExp(p, 'u')),
    };
  });
  const values = isRecord(doc.values) ? doc.values : {};
  return {
    qualifiers: stringList(doc.qualifiers, `${where}: qualifiers`),
    rules,
    genderValues: new Set(stringList(values.gender, `${where}: values.gender`).map(normalizeFieldName)),
    regionStopwords: new Set(stringList(values.regionStopwords, `${where}: values.regionStopwords`).map(normalizeFieldName)),
  };
}

function stringList(v: unknown, where: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error(`${where}: expected a list of strings`);
  return v as string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

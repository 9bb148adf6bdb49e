// Leaf path spelling (semconv §2 `sst.fields`): `body.a.b[0].c`, `body["weird key"]`, `query.name[1]`.

const IDENT_RE = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Path of an object member: dotted when the key is identifier-like, bracketed JSON string otherwise. */
export function memberPath(parent: string, key: string): string {
  return IDENT_RE.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * Leaf key of a form/query parameter name: the last non-numeric bracket part for PHP/Rails-style
 * names (`ud[em]` → `em`, `user[emails][]` → `emails`), else the name; lowercased.
 */
export function paramKey(name: string): string {
  let end = name.length;
  // walk bracket groups from the right; bounded by the name length
  while (end > 0 && name.charCodeAt(end - 1) === 93 /* ] */) {
    const open = name.lastIndexOf('[', end - 1);
    if (open < 0) break;
    const inner = name.slice(open + 1, end - 1);
    if (inner.length > 0 && !isDigits(inner)) return inner.toLowerCase();
    end = open;
  }
  return name.slice(0, end).toLowerCase();
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Numbers repeated parameter names: the first keeps `prefix.name`, later ones get `[1]`, `[2]` … */
export class RepeatCounter {
  private readonly seen = new Map<string, number>();
  path(prefix: string, name: string): string {
    const n = this.seen.get(name) ?? 0;
    this.seen.set(name, n + 1);
    const base = name.length > 0 ? `${prefix}.${name}` : `${prefix}[""]`;
    return n === 0 ? base : `${base}[${n}]`;
  }
}

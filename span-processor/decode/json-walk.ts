// One pass over JSON.parse output: every string and number becomes a leaf with its path.
import { MAX_JSON_LEVEL, isFull, pushLeaf, type DecodeContext } from './options';
import { memberPath } from './paths';

/**
 * Walks `node` (a JSON.parse result) below `path`. `key` is the leaf key of `node` itself (arrays
 * pass their own key down so `em[0]` has key `em`). `depth` counts decoding layers for nesting caps.
 */
export function walkJson(ctx: DecodeContext, node: unknown, path: string, key: string, layers: string[], depth: number): void {
  walk(ctx, node, path, key, layers, depth, 0);
}

function walk(ctx: DecodeContext, node: unknown, path: string, key: string, layers: string[], depth: number, level: number): boolean {
  if (--ctx.nodesLeft < 0) {
    ctx.truncated = true;
    return false;
  }
  switch (typeof node) {
    case 'string':
      if (!pushLeaf(ctx, path, key, node, layers)) return false;
      if (ctx.expand !== null) ctx.expand(ctx, node, path, key, layers, depth);
      return !isFull(ctx);
    case 'number':
      return Number.isFinite(node) ? pushLeaf(ctx, path, key, String(node), layers) : true;
    case 'object': {
      if (node === null) return true;
      if (level >= MAX_JSON_LEVEL) {
        ctx.truncated = true;
        return true;
      }
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          if (!walk(ctx, node[i], `${path}[${i}]`, key, layers, depth, level + 1)) return false;
        }
        return true;
      }
      const obj = node as Record<string, unknown>;
      for (const k in obj) {
        if (!walk(ctx, obj[k], memberPath(path, k), k.toLowerCase(), layers, depth, level + 1)) return false;
      }
      return true;
    }
    default:
      return true;
  }
}

/** First non-whitespace char is `{` or `[` and the last is the matching closer: worth a JSON.parse. */
export function looksLikeJson(text: string): boolean {
  let a = 0;
  let b = text.length - 1;
  while (a <= b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && isSpace(text.charCodeAt(b))) b--;
  if (b <= a) return false;
  const first = text.charCodeAt(a);
  const last = text.charCodeAt(b);
  return (first === 123 && last === 125) || (first === 91 && last === 93);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;
}

/** JSON.parse that reports failure as undefined instead of throwing. */
export function tryParseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

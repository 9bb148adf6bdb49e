// A small aligned-table printer for human output (no dependency): left-aligned text, right-aligned
// numbers, long cells cut with an ellipsis so one wide value does not wreck the layout.

export type Align = 'left' | 'right';

export interface TableOptions {
  align?: Align[];
  /** Cells longer than this many characters are cut (default 48). */
  maxCellWidth?: number;
  /** Gap between columns (default 2 spaces). */
  gap?: number;
  /** Fit lines into this many columns by wrapping the last column (a list) after its commas onto
   *  continuation lines; the other columns keep their width. The last column keeps at least
   *  MIN_WRAP_WIDTH characters, so very wide leading columns can still exceed the target. */
  fitWidth?: number;
  /** A second, indented line under each row (the long lists of a wide record), cut to `fitWidth`
   *  when given. Keeps one record readable in a terminal where a dozen columns would not be. */
  detail?: (row: number) => string;
}

const DETAIL_INDENT = '    ';

const MIN_WRAP_WIDTH = 16;

/** Display width in characters (code points; good enough for the ASCII-heavy values shown here). */
function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function cut(s: string, max: number): string {
  if (width(s) <= max) return s;
  return [...s].slice(0, Math.max(1, max - 1)).join('') + '…';
}

const NEWLINES = /[\r\n\t]+/g;

export function formatTable(headers: string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean>>, opts: TableOptions = {}): string {
  const max = opts.maxCellWidth ?? 48;
  const gap = ' '.repeat(opts.gap ?? 2);
  const cells = rows.map((r) => headers.map((_, i) => cut(String(r[i] ?? '').replace(NEWLINES, ' '), max)));
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]))));
  const align = headers.map((_, i) => opts.align?.[i] ?? (rows.length && rows.every((r) => typeof r[i] === 'number') ? 'right' : 'left'));
  const line = (r: string[]): string => r
    .map((c, i) => {
      const pad = ' '.repeat(widths[i] - width(c));
      return align[i] === 'right' ? pad + c : (i === r.length - 1 ? c : c + pad);
    })
    .join(gap)
    .trimEnd();
  const last = headers.length - 1;
  const lead = widths.slice(0, last).reduce((n, w) => n + w + gap.length, 0);
  const detail = (k: number): string[] => {
    if (!opts.detail) return [];
    const d = DETAIL_INDENT + opts.detail(k).replace(NEWLINES, ' ');
    return [opts.fitWidth === undefined ? d : cut(d, opts.fitWidth)];
  };
  if (opts.fitWidth === undefined || last < 0 || lead + widths[last] <= opts.fitWidth) {
    return [line(headers), ...cells.flatMap((c, k) => [line(c), ...detail(k)])].join('\n');
  }
  // Long lists in the last column: the full (uncut) text, broken after commas.
  const room = Math.max(MIN_WRAP_WIDTH, opts.fitWidth - lead);
  widths[last] = Math.min(widths[last], room);
  const out = [line(headers)];
  rows.forEach((r, k) => {
    const parts = wrapList(String(r[last] ?? '').replace(NEWLINES, ' '), room);
    out.push(line([...cells[k].slice(0, last), parts[0] ?? '']));
    for (const p of parts.slice(1)) out.push(' '.repeat(lead) + p);
    out.push(...detail(k));
  });
  return out.join('\n');
}

/** `a,b,c` in pieces of at most `room` characters, broken after commas (a longer item is cut). */
function wrapList(text: string, room: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const item of text.split(/(?<=,)/)) {
    if (cur && width(cur) + width(item) > room) { out.push(cur); cur = ''; }
    cur += item;
  }
  if (cur) out.push(cur);
  return out.map((p) => cut(p, room));
}

/** Arrays in cells: comma-separated, `-` when empty. */
export function list(values: readonly string[]): string {
  return values.length ? values.join(',') : '-';
}

// A small aligned-table printer for human output (no dependency): left-aligned text, right-aligned
// numbers, long cells cut with an ellipsis so one wide value does not wreck the layout.

export type Align = 'left' | 'right';

export interface TableOptions {
  align?: Align[];
  /** Cells longer than this many characters are cut (default 48). */
  maxCellWidth?: number;
  /** Gap between columns (default 2 spaces). */
  gap?: number;
}

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
  return [line(headers), ...cells.map(line)].join('\n');
}

/** Arrays in cells: comma-separated, `-` when empty. */
export function list(values: readonly string[]): string {
  return values.length ? values.join(',') : '-';
}

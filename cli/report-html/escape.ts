// Everything on the report page that came from spans (service names, hosts, fields, error messages)
// is attacker-controlled: a request can carry any header, a vendor host can be any string. So text
// never becomes markup by accident: the `html` tag escapes every interpolated value unless it is
// already a SafeHtml produced by this module.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };
const SPECIAL = /[&<>"'`]/g;
// C0 controls (except tab/newline) and lone surrogates have no business in the page; they are
// replaced so a hostile value cannot produce an invalid document.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text made safe for element content and for double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(UNPRINTABLE, '\ufffd').replace(SPECIAL, (c) => ESCAPES[c]);
}

/** Markup that is known to be safe (built by `html` or `raw` from constants). */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string { return this.text; }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | ReadonlyArray<HtmlValue>;

function render(v: HtmlValue): string {
  if (v instanceof SafeHtml) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(v);
}

/** Template tag: literal parts are trusted markup, every `${value}` is escaped (arrays joined). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Constant markup from this code base (CSS, fixed SVG parts): never pass span data here. */
export function raw(trusted: string): SafeHtml {
  return new SafeHtml(trusted);
}

/** Cut long text for display (the full text goes in a title attribute). */
export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, Math.max(1, max - 1)).join('') + '…';
}

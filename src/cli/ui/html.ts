// Server-side HTML with escaping by default: every value put into an `html` template is escaped
// unless it is itself Html (made by `html` or `raw`). Names from zfs and values from the config
// reach the page only through here.

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (v: unknown): string => String(v).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

// Markup that is already safe (our own constants only).
export const raw = (text: string): Html => new Html(text);

function part(v: unknown): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === undefined || v === null || v === false) return '';
  return escapeHtml(v);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += part(values[i]) + strings[i + 1]!;
  return new Html(out);
}

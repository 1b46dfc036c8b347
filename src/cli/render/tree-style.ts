// Colour for the views: only on a terminal, never with NO_COLOR set (https://no-color.org),
// so a pipe or a file always gets the same plain text.

export interface Style {
  readonly on: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

export function colourWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
}

export function styleFor(on: boolean): Style {
  const sgr = (code: string) => (s: string) => (on && s !== '' ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { on, bold: sgr('1'), dim: sgr('2'), red: sgr('31'), green: sgr('32'), yellow: sgr('33'), cyan: sgr('36') };
}

// A table: columns padded to their widest cell (measured without colour codes); `right`
// columns aligned right. The last column is not padded, so lines have no trailing spaces.
export function table(rows: readonly (readonly string[])[], right: ReadonlySet<number> = new Set()): string[] {
  const plain = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...plain(c)].length)));
  return rows.map((r) =>
    r
      .map((c, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - [...plain(c)].length);
        if (i === r.length - 1 && !right.has(i)) return c;
        return right.has(i) ? pad + c : c + pad;
      })
      .join('  ')
      .replace(/\s+$/, ''),
  );
}

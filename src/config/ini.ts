import type { ConfigIssue } from './issue.js';

// Python configparser's dialect (what pyznap reads), with line numbers kept for messages:
// `key = value` or `key: value`, keys case-insensitive, full-line # and ; comments, indented
// continuation lines, [DEFAULT], %% escapes and %(name)s references.

export interface IniEntry {
  readonly key: string; // lower-cased, as configparser's optionxform
  readonly value: string; // after interpolation
  readonly raw: string; // as written (continuations joined with \n)
  readonly line: number;
}

export interface IniSection {
  readonly name: string;
  readonly line: number;
  readonly entries: ReadonlyMap<string, IniEntry>;
}

export interface IniFile {
  readonly defaults: IniSection;
  readonly sections: readonly IniSection[];
  readonly issues: readonly ConfigIssue[];
}

interface Building {
  name: string;
  line: number;
  entries: Map<string, { key: string; raw: string; line: number; indent: number }>;
}

// Read INI text the way configparser does; problems come back as issues, never thrown.
export function readIni(text: string, file: string): IniFile {
  const issues: ConfigIssue[] = [];
  const error = (line: number, message: string, section?: string, key?: string): void => {
    issues.push({ severity: 'error', file, line, message, ...(section !== undefined ? { section } : {}), ...(key ? { key } : {}) });
  };
  const defaults: Building = { name: 'DEFAULT', line: 0, entries: new Map() };
  const sections: Building[] = [];
  const seen = new Set<string>();
  let current: Building | undefined;
  let last: { key: string; raw: string; line: number; indent: number } | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((rawLine, i) => {
    const lineNo = i + 1;
    const stripped = rawLine.trim();
    const indent = rawLine.length - rawLine.trimStart().length;
    if (stripped.startsWith('#') || stripped.startsWith(';')) return;
    if (stripped === '') return; // a blank line keeps the value open, as configparser does
    if (last && current && indent > last.indent) {
      last.raw += `\n${stripped}`;
      return;
    }
    const header = /^\[(.+)\]/.exec(stripped);
    if (header) {
      const name = header[1]!;
      last = undefined;
      if (name === 'DEFAULT') {
        current = defaults;
        defaults.line = defaults.line || lineNo;
        return;
      }
      if (seen.has(name)) error(lineNo, `section [${name}] appears twice; merge the two sections`, name);
      seen.add(name);
      current = { name, line: lineNo, entries: new Map() };
      sections.push(current);
      return;
    }
    if (!current) {
      error(lineNo, 'text before the first [section] header; start the file with a section such as [tank/data]');
      return;
    }
    const m = /^([^=:]*?)\s*[=:]\s*(.*)$/.exec(stripped);
    if (!m || m[1] === '') {
      error(lineNo, `cannot read "${stripped}"; write key = value`, current.name);
      last = undefined;
      return;
    }
    const key = m[1]!.toLowerCase();
    if (current.entries.has(key)) {
      error(lineNo, `"${key}" is set twice in this section (first on line ${current.entries.get(key)!.line}); keep one`, current.name, key);
    }
    last = { key, raw: m[2]!, line: lineNo, indent };
    current.entries.set(key, last);
  });
  const finish = (b: Building): IniSection => ({
    name: b.name,
    line: b.line,
    entries: new Map(
      [...b.entries].map(([k, e]) => [k, { key: k, raw: e.raw, line: e.line, value: interpolate(e, b, defaults, file, issues) }]),
    ),
  });
  return { defaults: finish(defaults), sections: sections.map(finish), issues };
}

// configparser's BasicInterpolation: %% is a literal %, %(name)s the value of another key.
function interpolate(
  e: { key: string; raw: string; line: number },
  section: Building,
  defaults: Building,
  file: string,
  issues: ConfigIssue[],
  depth = 0,
): string {
  if (!e.raw.includes('%')) return e.raw;
  let out = '';
  for (let i = 0; i < e.raw.length; i++) {
    const c = e.raw[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const next = e.raw[i + 1];
    if (next === '%') {
      out += '%';
      i++;
      continue;
    }
    const ref = /^%\(([^)]+)\)s/.exec(e.raw.slice(i));
    const target = ref ? (section.entries.get(ref[1]!.toLowerCase()) ?? defaults.entries.get(ref[1]!.toLowerCase())) : undefined;
    if (!ref || !target || depth > 10) {
      issues.push({
        severity: 'error',
        file,
        line: e.line,
        section: section.name,
        key: e.key,
        message: ref
          ? `%(${ref[1]})s refers to a key that is not set`
          : 'a lone "%" (configparser reads % as a reference); write %% for a percent sign',
      });
      return e.raw;
    }
    out += interpolate(target, section, defaults, file, issues, depth + 1);
    i += ref[0].length - 1;
  }
  return out;
}

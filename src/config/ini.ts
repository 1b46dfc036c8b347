import { type ConfigIssue, IssueCollector, clip } from './issue.js';

// Python configparser's dialect (what pyznap reads), with line numbers kept for messages:
// `key = value` or `key: value`, keys case-insensitive, full-line # and ; comments, indented
// continuation lines, [DEFAULT], %% escapes and %(name)s references. Linear in the size of the
// file: no regex that backtracks over a line, no re-slicing of a value.

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
  readonly issues: readonly ConfigIssue[]; // the ones kept by the collector, in line order
}

interface Entry {
  key: string;
  raw: string;
  value: string;
  line: number;
  indent: number;
}

interface Building {
  name: string;
  line: number;
  entries: Map<string, Entry>;
}

// The longest value %(name)s references may build, and what they may build in the whole file
// (configparser has no limit: a few nested references expand a small file into gigabytes).
const MAX_INTERPOLATED = 100_000;
const MAX_INTERPOLATED_FILE = 10_000_000;

// After this many problems the reader stops: every one of them is an error already (nothing
// will run), and the rest of such a file is no more use than its first 10,000 problems.
export const MAX_READ_PROBLEMS = 10_000;

// Read INI text the way configparser does; problems go to `issues`, never thrown.
export function readIni(text: string, file: string, issues: IssueCollector = new IssueCollector()): IniFile {
  const error = (line: number, message: string, section?: string, key?: string): void => {
    issues.add({ severity: 'error', file, line, message, ...(section !== undefined ? { section } : {}), ...(key ? { key } : {}) });
  };
  const defaults: Building = { name: 'DEFAULT', line: 0, entries: new Map() };
  const sections: Building[] = [];
  const byName = new Map<string, Building>();
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    error(lineAt(text, nul), 'a NUL byte: this is not a text file; check that --config names the policy file');
    return { defaults: finish(defaults, defaults, file, issues, { left: 0 }), sections: [], issues: issues.result(false).issues };
  }
  let current: Building | undefined;
  let last: Entry | undefined;
  let orphanReported = false;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (issues.total >= MAX_READ_PROBLEMS) {
      issues.stop(i + 1);
      break;
    }
    const rawLine = lines[i]!;
    const lineNo = i + 1;
    const stripped = rawLine.trim();
    const c = stripped.charCodeAt(0);
    if (stripped === '' || c === 35 || c === 59) continue; // # and ; comments; a blank line keeps the value open, as configparser does
    const indent = stripped.length === rawLine.length ? 0 : rawLine.indexOf(stripped[0]!);
    if (last && current && indent > last.indent) {
      last.raw += `\n${stripped}`;
      continue;
    }
    if (c === 91) {
      // "[": a section header
      last = undefined;
      const close = stripped.lastIndexOf(']'); // configparser's \[(.+)\]: up to the last "]"
      const name = close > 1 ? stripped.slice(1, close) : stripped.slice(1).trim();
      if (close < 0) error(lineNo, `the section header "${clip(stripped, 80)}" has no closing "]"; write [${clip(name, 80)}]`);
      if (close === 1) {
        // Its keys belong to no section: read them (so they are not "before the first header"), keep none.
        error(lineNo, 'an empty section name "[]"; write the dataset, e.g. [tank/data]');
        current = { name: '', line: lineNo, entries: new Map() };
        continue;
      }
      if (name === 'DEFAULT') {
        current = defaults;
        defaults.line = defaults.line || lineNo;
        continue;
      }
      const seen = byName.get(name);
      if (seen) {
        // Read as one section (configparser's non-strict merge), so each repeat costs one error.
        error(lineNo, `section [${clip(name, 80)}] appears twice (first on line ${seen.line}); merge the two sections`, name);
        current = seen;
        continue;
      }
      current = { name, line: lineNo, entries: new Map() };
      byName.set(name, current);
      sections.push(current);
      continue;
    }
    if (!current) {
      // configparser stops at the first such line; one error says it, not one per line.
      if (!orphanReported) error(lineNo, 'text before the first [section] header; start the file with a section such as [tank/data]');
      orphanReported = true;
      continue;
    }
    const at = delimiter(stripped);
    if (at <= 0) {
      error(lineNo, `cannot read "${clip(stripped, 80)}"; write key = value`, current.name);
      last = undefined;
      continue;
    }
    const key = stripped.slice(0, at).trimEnd().toLowerCase();
    const before = current.entries.get(key);
    if (before)
      error(lineNo, `"${clip(key, 60)}" is set twice in this section (first on line ${before.line}); keep one`, current.name, key);
    last = { key, raw: stripped.slice(at + 1).trimStart(), value: '', line: lineNo, indent };
    current.entries.set(key, last);
  }
  const budget = { left: MAX_INTERPOLATED_FILE };
  return {
    defaults: finish(defaults, defaults, file, issues, budget),
    sections: sections.map((b) => finish(b, defaults, file, issues, budget)),
    issues: issues.result(false).issues,
  };
}

// configparser splits at the first "=" or ":".
function delimiter(line: string): number {
  const eq = line.indexOf('=');
  const colon = line.indexOf(':');
  return eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
}

function lineAt(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

type Budget = { left: number };

// Values after interpolation, set in place (a file may hold 400,000 entries).
function finish(b: Building, defaults: Building, file: string, issues: IssueCollector, budget: Budget): IniSection {
  for (const e of b.entries.values()) e.value = interpolate(e, b, defaults, file, issues, budget);
  return b;
}

const REF = /%\(([^)]+)\)s/y;

// configparser's BasicInterpolation: %% is a literal %, %(name)s the value of another key.
function interpolate(
  e: { key: string; raw: string; line: number },
  section: Building,
  defaults: Building,
  file: string,
  issues: IssueCollector,
  budget: Budget,
): string {
  if (!e.raw.includes('%')) return e.raw;
  const problem = (message: string): string => {
    issues.add({ severity: 'error', file, line: e.line, section: section.name, key: e.key, message });
    return e.raw;
  };
  const expand = (raw: string, depth: number): string | { error: string } => {
    let out = '';
    let i = 0;
    while (i < raw.length) {
      const pct = raw.indexOf('%', i);
      if (pct < 0) {
        out += raw.slice(i);
        break;
      }
      out += raw.slice(i, pct);
      if (raw[pct + 1] === '%') {
        out += '%';
        i = pct + 2;
        continue;
      }
      REF.lastIndex = pct;
      const ref = REF.exec(raw);
      if (!ref) return { error: 'a lone "%" (configparser reads % as a reference); write %% for a percent sign' };
      const name = ref[1]!.toLowerCase();
      const target = section.entries.get(name) ?? defaults.entries.get(name);
      if (!target) return { error: `%(${clip(ref[1]!, 60)})s refers to a key that is not set` };
      if (depth >= 10) return { error: `%(${clip(ref[1]!, 60)})s: references nest more than 10 deep (a loop?)` };
      const v = expand(target.raw, depth + 1);
      if (typeof v !== 'string') return { error: `%(${clip(ref[1]!, 60)})s: ${v.error}` };
      out += v;
      budget.left -= v.length;
      if (out.length > MAX_INTERPOLATED)
        return { error: `through its %(name)s references the value grows longer than ${MAX_INTERPOLATED} characters` };
      if (budget.left < 0)
        return { error: `the file's %(name)s references expand to more than ${MAX_INTERPOLATED_FILE} characters in all` };
      i = pct + ref[0].length;
    }
    return out;
  };
  const r = expand(e.raw, 0);
  return typeof r === 'string' ? r : problem(r.error);
}

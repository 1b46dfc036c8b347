import { basename } from 'node:path';
import { parseLocation } from '../domain/location.js';
import { SNAP_TYPES } from '../domain/snap-types.js';
import { type IniSection, readIni } from './ini.js';
import type { ConfigIssue } from './issue.js';
import { ALL_KEYS, KEY_BY_NAME } from './keys/index.js';
import type { PolicyFile, SectionConfig, SetValue } from './policy-file.js';
import { checkDestLists } from './rules/dest-lists.js';
import { suggest } from './suggest.js';

const KNOWN = ALL_KEYS.map((k) => k.name);

// Text → PolicyFile: read the INI, parse every key, check the cross-key rules. Pure: the
// caller reads the file; every problem is collected, none is thrown.
export function parsePolicyText(text: string, path: string): PolicyFile {
  const ini = readIni(text, path);
  const issues: ConfigIssue[] = [...ini.issues];
  const file = basename(path);
  const defaults = parseSection(ini.defaults, path, issues, true);
  const sections = ini.sections.map((s) => parseSection(s, path, issues, false));
  if (ini.sections.length === 0 && !issues.some((i) => i.severity === 'error')) {
    issues.push({ severity: 'warning', file: path, line: 1, message: 'the file has no sections: nothing to do; add one such as [tank/data]' });
  }
  for (const s of [defaults, ...sections]) issues.push(...checkDestLists(s, defaults, path));
  const strict = defaults.values.get('strict')?.value === true;
  issues.sort((a, b) => a.line - b.line); // stable: same-line issues keep their order
  const finalIssues = strict ? issues.map((i) => ({ ...i, severity: 'error' as const })) : issues;
  return { path, pyznapMode: file === 'pyznap.conf', defaults, sections, issues: finalIssues };
}

function parseSection(s: IniSection, path: string, issues: ConfigIssue[], isDefault: boolean): SectionConfig {
  const values = new Map<string, SetValue>();
  const typos = new Map<string, { key: string; line: number }>();
  const at = (line: number, key?: string) => ({ file: path, line, section: s.name, ...(key ? { key } : {}) });
  let location;
  if (!isDefault) {
    const parsed = parseLocation(s.name);
    if (parsed.ok) location = parsed.value;
    else issues.push({ severity: 'warning', ...at(s.line), message: `${parsed.problem}; this section is skipped (pyznap skipped it too)` });
  }
  for (const e of s.entries.values()) {
    const spec = KEY_BY_NAME.get(e.key);
    if (!spec) {
      const near = suggest(e.key, KNOWN);
      const hint = near ? `did you mean "${near}"?` : `known keys: ${KNOWN.join(', ')}`;
      issues.push({ severity: 'warning', ...at(e.line, e.key), message: `unknown key, ignored (as pyznap ignores it); ${hint}` });
      if (near && (SNAP_TYPES as readonly string[]).includes(near)) typos.set(near, { key: e.key, line: e.line });
      continue;
    }
    // configparser (and so pyznap) has no inline comments: in `hourly = 24  # a day` it is all value.
    const inline = /\s([#;])/.exec(e.value)?.[1];
    const hint = inline ? ` (text after "${inline}" is part of the value, not a comment; put comments on a line of their own)` : '';
    const r = spec.parse(e.value);
    if ('error' in r) {
      issues.push({ severity: 'error', ...at(e.line, e.key), message: r.error.includes('comment') ? r.error : r.error + hint });
      continue;
    }
    if (r.warning || inline) issues.push({ severity: 'warning', ...at(e.line, e.key), message: r.warning ? (r.warning.includes('comment') ? r.warning : r.warning + hint) : `the value is "${e.value}"${hint}` });
    values.set(e.key, { value: r.value, line: e.line });
  }
  return { name: s.name, line: s.line, location, values, typos };
}

import { basename } from 'node:path';
import { parseLocation } from '../domain/location.js';
import { SNAP_TYPES } from '../domain/snap-types.js';
import { type IniSection, readIni } from './ini.js';
import { IssueCollector } from './issue.js';
import { ALL_KEYS, KEY_BY_NAME } from './keys/index.js';
import { normalize } from './normalize.js';
import type { ParsedFile, ParsedSection, SetValue, Values } from './parsed.js';
import type { PolicyFile } from './policy-file.js';
import { checkDestLists } from './rules/dest-lists.js';
import { type KeyFileProblem, checkKeyFiles } from './rules/key-files.js';
import { suggest } from './suggest.js';

const KNOWN = ALL_KEYS.map((k) => k.name);
const KNOWN_TEXT = KNOWN.join(', ');
const COUNTS = KNOWN.filter((k) => (SNAP_TYPES as readonly string[]).includes(k)); // in KNOWN's order

export interface ParseOptions {
  // Says what is wrong with a key file (missing, a directory), or undefined; given by
  // load.ts, which reads the disk, so this module stays pure.
  readonly keyFileProblem?: KeyFileProblem;
}

// Text → PolicyFile: parse, then normalize into the typed sections the commands read. Pure:
// the caller reads the file; every problem is collected (counted, the first few kept), none thrown.
export function parsePolicyText(text: string, path: string, o: ParseOptions = {}): PolicyFile {
  return normalize(parseFile(text, path, o));
}

// Text → ParsedFile: read the INI, parse every key, check the cross-key rules (config/ only).
export function parseFile(text: string, path: string, o: ParseOptions = {}): ParsedFile {
  const issues = new IssueCollector();
  const ini = readIni(text, path, issues);
  const file = basename(path);
  const defaults = parseSection(ini.defaults, path, issues, true);
  const sections = ini.sections.map((s) => parseSection(s, path, issues, false));
  for (const s of [defaults, ...sections]) {
    for (const i of checkDestLists(s, defaults, path)) issues.add(i);
    if (o.keyFileProblem) for (const i of checkKeyFiles(s, path, o.keyFileProblem)) issues.add(i);
  }
  const strict = defaults.values.strict?.value === true;
  return { path, pyznapMode: file === 'pyznap.conf', defaults, sections, ...issues.result(strict) };
}

function parseSection(s: IniSection, path: string, issues: IssueCollector, isDefault: boolean): ParsedSection {
  // Written by key name from the file; each value comes from its own key's spec (keys/index.ts).
  const values: Record<string, SetValue<unknown>> = {};
  const typos = new Map<string, { key: string; line: number }>();
  const at = (line: number, key?: string) => ({ file: path, line, section: s.name, ...(key ? { key } : {}) });
  let location;
  if (!isDefault) {
    const parsed = parseLocation(s.name);
    if (parsed.ok) location = parsed.value;
    else issues.add({ severity: 'warning', ...at(s.line), message: `${parsed.problem}; this section is skipped (pyznap skipped it too)` });
  }
  for (const e of s.entries.values()) {
    const spec = KEY_BY_NAME.get(e.key);
    if (!spec) {
      // The full search only where its answer matters: a shown message, or a key near a count.
      const near = suggest(e.key, COUNTS) !== undefined || issues.wouldKeep('warning', e.line) ? suggest(e.key, KNOWN) : undefined;
      const hint = near ? `did you mean "${near}"?` : `known keys: ${KNOWN_TEXT}`;
      issues.add({ severity: 'warning', ...at(e.line, e.key), message: `unknown key, ignored (as pyznap ignores it); ${hint}` });
      if (near && (SNAP_TYPES as readonly string[]).includes(near)) typos.set(near, { key: e.key, line: e.line });
      continue;
    }
    // configparser (and so pyznap) has no inline comments: in `hourly = 24  # a day` it is all value.
    const inline = /\s([#;])/.exec(e.value)?.[1];
    const hint = inline ? ` (text after "${inline}" is part of the value, not a comment; put comments on a line of their own)` : '';
    const r = spec.parse(e.value);
    if ('error' in r) {
      issues.add({ severity: 'error', ...at(e.line, e.key), message: r.error.includes('comment') ? r.error : r.error + hint });
      continue;
    }
    if (r.warning || inline)
      issues.add({
        severity: 'warning',
        ...at(e.line, e.key),
        message: r.warning ? (r.warning.includes('comment') ? r.warning : r.warning + hint) : `the value is "${clipValue(e.value)}"${hint}`,
      });
    values[e.key] = { value: r.value, line: e.line };
  }
  return { name: s.name, line: s.line, location, values: values as Values, typos };
}

const clipValue = (v: string): string => (v.length > 80 ? `${v.slice(0, 79)}…` : v);

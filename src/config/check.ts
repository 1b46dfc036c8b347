import { ALL_KEYS } from './keys/index.js';
import { readParsed } from './load.js';
import { normalize } from './normalize.js';
import type { ParsedFile } from './parsed.js';
import type { PolicyFile } from './policy-file.js';
import { PolicyResolver } from './resolve.js';
import { locationLabel } from '../domain/location.js';

// One section's effective settings, each with the section it came from.
export interface ResolvedSection {
  readonly section: string;
  readonly line: number;
  readonly location: string | null; // null: not a valid location, skipped at run time
  readonly values: readonly { key: string; value: unknown; from: string }[];
}

// What `holdfast check` reads: the file, and (on demand: a file with too many problems is not
// worth it) every section with every key that has a value after inheritance, and where from.
export async function checkPolicyFile(path: string): Promise<{ file: PolicyFile; resolved: () => ResolvedSection[] }> {
  const parsed = await readParsed(path);
  return { file: normalize(parsed), resolved: () => resolveAll(parsed) };
}

export function resolveAll(file: ParsedFile): ResolvedSection[] {
  const r = new PolicyResolver(file);
  return file.sections.map((s) => {
    const values = ALL_KEYS.flatMap((k) => {
      const v = r.value(s, k.name);
      return v === undefined ? [] : [{ key: k.name, value: v.value as unknown, from: v.from }];
    });
    const p = r.snapPolicy(s);
    const defaults = [
      ...(values.some((v) => v.key === 'prefix') ? [] : [{ key: 'prefix', value: p.prefix, from: 'default' }]),
      ...(values.some((v) => v.key === 'timezone') ? [] : [{ key: 'timezone', value: p.zone, from: 'default' }]),
      ...[...p.guardedTypes].map(([type, why]) => ({ key: `${type} (guard)`, value: why, from: 'safety' })),
    ];
    return { section: s.name, line: s.line, location: s.location ? locationLabel(s.location) : null, values: [...values, ...defaults] };
  });
}

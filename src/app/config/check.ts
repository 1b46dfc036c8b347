import { PolicyResolver } from '../../config/resolve.js';
import { ALL_KEYS } from '../../config/keys/index.js';
import type { PolicyFile } from '../../config/policy-file.js';
import { locationLabel } from '../../domain/location.js';

// One section's effective settings, each with the section it came from.
export interface ResolvedSection {
  readonly section: string;
  readonly line: number;
  readonly location: string | null; // null: not a valid location, skipped at run time
  readonly values: readonly { key: string; value: unknown; from: string }[];
}

// What `holdfast check` prints: every section with every key that has a value, after
// inheritance, and where that value came from.
export function resolveAll(file: PolicyFile): ResolvedSection[] {
  const r = new PolicyResolver(file);
  return file.sections.map((s) => {
    const values = ALL_KEYS.flatMap((k) => {
      const v = r.value(s, k.name);
      return v === undefined ? [] : [{ key: k.name, value: v.value, from: v.from }];
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

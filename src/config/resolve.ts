import { parentOf } from '../domain/dataset-name.js';
import { type Endpoint, endpointKey } from '../domain/endpoint.js';
import type { SnapPolicy } from '../domain/policy.js';
import { type Counts, SNAP_TYPES, type SnapType } from '../domain/snap-types.js';
import { KEY_BY_NAME, type KeyName, type ValueOf } from './keys/index.js';
import type { ParsedFile, ParsedSection } from './parsed.js';

// Inheritance, for normalize.ts: config/'s own (the rest of holdfast reads the typed sections).

// Sections that form a tree by path: ZFS datasets, and btrfs subvolume paths.
export type TreeKind = 'zfs' | 'btrfs';

export function treeOf(s: ParsedSection): { kind: TreeKind; endpoint: Endpoint; name: string } | undefined {
  const l = s.location;
  if (l?.kind === 'zfs') return { kind: 'zfs', endpoint: l.endpoint, name: l.dataset };
  if (l?.kind === 'btrfs') return { kind: 'btrfs', endpoint: l.endpoint, name: l.path };
  return undefined;
}

export interface Resolved<T> {
  readonly value: T;
  readonly from: string; // section name the value came from, or "default"
  readonly line: number; // where it was set
}

// Inheritance by the dataset tree: a key unset in a section comes from the nearest configured
// ancestor on the same host (by path components, so [tank/data] never feeds [tank/database]),
// then from [DEFAULT]. File order plays no part.
export class PolicyResolver {
  private readonly byDataset = new Map<string, ParsedSection>();
  private readonly chains = new Map<ParsedSection, readonly ParsedSection[]>(); // each section's, computed once

  constructor(readonly file: ParsedFile) {
    for (const s of file.sections) {
      const t = treeOf(s);
      if (t) this.byDataset.set(this.key(t.kind, t.endpoint, t.name), s);
    }
  }

  private key(kind: TreeKind, e: Endpoint, name: string): string {
    return `${kind}\u0000${endpointKey(e)}\u0000${name}`;
  }

  // Sections on the same host from `s` up to the pool root, nearest first, then [DEFAULT].
  private chain(s: ParsedSection): readonly ParsedSection[] {
    const known = this.chains.get(s);
    if (known) return known;
    const out: ParsedSection[] = [s];
    const t = treeOf(s);
    if (t) {
      for (let d = parentOf(t.name); d !== undefined; d = parentOf(d)) {
        const a = this.byDataset.get(this.key(t.kind, t.endpoint, d));
        if (a) out.push(a);
      }
    }
    if (s !== this.file.defaults) out.push(this.file.defaults);
    this.chains.set(s, out);
    return out;
  }

  // A key's value for a section, following the key's scope.
  value<K extends KeyName>(s: ParsedSection, key: K): Resolved<ValueOf<K>> | undefined {
    const scope = KEY_BY_NAME.get(key)?.scope ?? 'section';
    const candidates = scope === 'tree' ? this.chain(s) : [s, this.file.defaults];
    for (const c of candidates) {
      const v = c.values[key];
      if (v) return { value: v.value, from: c.name, line: v.line };
    }
    return undefined;
  }

  // The snapshot policy a section gives the datasets it governs.
  snapPolicy(s: ParsedSection): SnapPolicy {
    const counts: Counts = {};
    const guardedTypes = new Map<SnapType, string>();
    for (const type of SNAP_TYPES) {
      const v = this.value(s, type);
      if (v !== undefined) {
        counts[type] = v.value;
        if (v.value < 0) guardedTypes.set(type, `${type} = ${v.value} in [${v.from}] is negative: keeping every ${type} snapshot`);
        continue;
      }
      const typo = this.chain(s).find((c) => c.typos.has(type));
      if (typo) {
        const t = typo.typos.get(type)!;
        guardedTypes.set(
          type,
          `"${t.key}" (line ${t.line}, [${typo.name}]) looks like a misspelt ${type}: keeping every ${type} snapshot until it is fixed`,
        );
      }
    }
    return {
      counts,
      snap: this.value(s, 'snap')?.value ?? false,
      clean: this.value(s, 'clean')?.value ?? false,
      prefix: this.value(s, 'prefix')?.value ?? (this.file.pyznapMode ? 'pyznap' : 'holdfast'),
      adopt: this.value(s, 'adopt')?.value ?? [],
      zone: this.value(s, 'timezone')?.value ?? 'local',
      guardedTypes,
      section: s.name,
    };
  }
}

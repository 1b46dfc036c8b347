import { parentOf } from '../../domain/dataset-name.js';
import { type Endpoint, endpointKey } from '../../domain/endpoint.js';
import type { Limits } from '../../domain/monitor/thresholds.js';
import type { SnapPolicy } from '../../domain/policy.js';
import { CHANGE_DEFAULTS, type ChangeSettings } from '../../domain/snap/changed.js';
import { type PolicyResolver, type TreeKind, treeOf } from '../resolve.js';
import { type SnapshotHooks, snapshotHooks } from './hooks.js';

export type { TreeKind };

// Where a btrfs subvolume's snapshots go when snapshot_dir is unset: `.snapshots` inside it
// (same filesystem, per subvolume, where snapper users look).
export const DEFAULT_SNAPSHOT_DIR = '.snapshots';

// A [dataset] or [btrfs:/PATH] section after inheritance: what snap, clean and the views do
// with the datasets it governs.
export interface TreeSection {
  readonly name: string; // the section's name and line, for messages
  readonly line: number;
  readonly kind: TreeKind;
  readonly endpoint: Endpoint;
  readonly dataset: string; // the zfs dataset, or the btrfs subvolume path
  readonly policy: SnapPolicy;
  readonly change: ChangeSettings; // snap_if_changed, written_threshold
  readonly key?: string; // ssh identity file for the host (key)
  readonly snapshotDir: string; // btrfs: snapshot_dir as written (relative to the subvolume, or absolute)
  readonly monitor: { readonly enabled: boolean; readonly warn: Partial<Limits>; readonly crit: Partial<Limits> };
  readonly cleanupKeep: number; // cleanup_keep (default 1)
  readonly hooks?: SnapshotHooks; // pre/post_snapshot_command
}

export function treeSections(r: PolicyResolver): TreeSection[] {
  return r.file.sections.flatMap((s) => {
    const t = treeOf(s);
    if (!t) return [];
    const key = r.value(s, 'key')?.value;
    const hooks = snapshotHooks(r, s);
    return [
      {
        name: s.name,
        line: s.line,
        kind: t.kind,
        endpoint: t.endpoint,
        dataset: t.name,
        policy: r.snapPolicy(s),
        change: {
          enabled: r.value(s, 'snap_if_changed')?.value ?? CHANGE_DEFAULTS.enabled,
          threshold: r.value(s, 'written_threshold')?.value ?? CHANGE_DEFAULTS.threshold,
        },
        ...(key ? { key } : {}),
        snapshotDir: r.value(s, 'snapshot_dir')?.value ?? DEFAULT_SNAPSHOT_DIR,
        monitor: {
          enabled: r.value(s, 'monitor')?.value !== false,
          warn: r.value(s, 'monitor_warn')?.value ?? {},
          crit: r.value(s, 'monitor_crit')?.value ?? {},
        },
        cleanupKeep: r.value(s, 'cleanup_keep')?.value ?? 1,
        ...(hooks ? { hooks } : {}),
      },
    ];
  });
}

// Which section governs a dataset (or a btrfs path): its own, or its nearest configured
// ancestor's on the same host, by path components.
export class TreeIndex {
  private readonly byPath = new Map<string, TreeSection>();

  constructor(trees: readonly TreeSection[]) {
    for (const t of trees) this.byPath.set(this.key(t.kind, t.endpoint, t.dataset), t);
  }

  private key(kind: TreeKind, e: Endpoint, name: string): string {
    return `${kind}\u0000${endpointKey(e)}\u0000${name}`;
  }

  governing(endpoint: Endpoint, name: string, kind: TreeKind = 'zfs'): TreeSection | undefined {
    for (let d: string | undefined = name; d !== undefined; d = parentOf(d)) {
      const t = this.byPath.get(this.key(kind, endpoint, d));
      if (t) return t;
    }
    return undefined;
  }
}

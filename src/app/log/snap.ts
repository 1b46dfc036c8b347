import { secondsText } from '../../domain/units.js';
import { type Renderers, errorIfFailed, failedTail, list, plural } from './render.js';

// What `holdfast snap` (and cleanup, and a btrfs snapshot store) reports. Places are written as
// the config writes them ("tank/data", "ssh:22:root@nas:tank/data").
export type SnapEvent =
  // One executed `zfs snapshot` (or btrfs snapshot): every dataset it covered, the roots it
  // named, how (one dataset, several in one atomic call, a recursive subtree, or one at a time
  // after the batched call failed).
  | {
      readonly kind: 'took';
      readonly snapshot: string;
      readonly type: string; // frequent, hourly, …
      readonly datasets: readonly string[];
      readonly roots: readonly string[];
      readonly call: 'single' | 'atomic' | 'recursive' | 'one-by-one';
    }
  // One executed `zfs destroy`: the snapshots of `dataset` (and, recursive, of its descendants).
  | {
      readonly kind: 'destroyed';
      readonly dataset: string;
      readonly snapshots: readonly string[];
      readonly descendants: number;
      readonly call: 'single' | 'list' | 'recursive' | 'one-by-one';
      readonly destroyed: readonly string[]; // every dataset@snapshot gone
    }
  // A whole host could not be used (unreachable, no zfs/btrfs).
  | { readonly kind: 'host-failed'; readonly tree: 'zfs' | 'btrfs'; readonly host: string; readonly message: string }
  // snap_if_changed on a host without the written property.
  | { readonly kind: 'change-unknown'; readonly host: string; readonly flavor: string; readonly datasets: number }
  | { readonly kind: 'snapshot-dir-created'; readonly dir: string; readonly subvolume: string }
  | { readonly kind: 'holds-unreadable'; readonly message: string }
  | {
      readonly kind: 'snap-summary';
      readonly dryRun: boolean;
      readonly taken: number;
      readonly destroyed: number;
      readonly datasets: number;
      readonly unchanged: number;
      readonly ms: number;
      readonly calls: number; // zfs and btrfs processes
      readonly failed: readonly string[];
    }
  | { readonly kind: 'cleanup-unlisted'; readonly destination: string; readonly message: string }
  | { readonly kind: 'cleanup-summary'; readonly destroyed: number; readonly planned: number; readonly failed: readonly string[] };

export const SNAP_EVENTS: Renderers<SnapEvent> = {
  took: {
    level: 'info',
    text: (e) => {
      const at = (d: string): string => `${d}@${e.snapshot}`;
      if (e.call === 'one-by-one') return `took ${list(e.datasets.map(at))} (one at a time: the call for all of them failed)`;
      const named = e.roots.map(at);
      const below = e.datasets.length - e.roots.length;
      if (below === 0) return `took ${list(named)}${named.length > 1 ? ' in one atomic call' : ''}`;
      return `took ${named.join(', ')} and ${below} ${below === 1 ? 'descendant' : 'descendants'} in one ${named.length > 1 ? 'atomic' : 'recursive'} call`;
    },
  },
  destroyed: {
    level: 'info',
    text: (e) => {
      if (e.call === 'one-by-one') return `destroyed ${list(e.destroyed)} (one at a time: the call for all of them failed)`;
      const names = `${e.dataset}@${e.snapshots.join(', @')}`;
      if (e.call !== 'recursive') return `destroyed ${names}${e.snapshots.length > 1 ? ' in one call' : ''}`;
      const same = e.snapshots.length > 1 ? 'the same snapshots' : 'the same snapshot';
      const below = e.descendants;
      return `destroyed ${names} and ${same} of ${below} ${below === 1 ? 'descendant' : 'descendants'} in one recursive call (${e.destroyed.length} snapshots)`;
    },
  },
  'host-failed': { level: 'error', text: (e) => `${e.tree} on ${e.host}: ${e.message}` },
  'change-unknown': {
    level: 'warn',
    text: (e) =>
      `snap_if_changed: ${e.flavor} on ${e.host} cannot tell whether data changed (no written property); ${e.datasets} dataset${e.datasets === 1 ? ' is' : 's are'} snapshotted anyway (docs/views.md)`,
  },
  'snapshot-dir-created': { level: 'info', text: (e) => `created snapshot directory ${e.dir} (a subvolume) for btrfs:${e.subvolume}` },
  'holds-unreadable': { level: 'error', text: (e) => `btrfs holds ${e.message}; until then clean keeps every snapshot there` },
  'snap-summary': {
    level: errorIfFailed,
    text: (e) =>
      `snap: ${e.dryRun ? 'would take' : 'took'} ${e.taken}, ${e.dryRun ? 'would destroy' : 'destroyed'} ${plural(e.destroyed, 'snapshot')} on ${plural(e.datasets, 'dataset')}${e.unchanged ? ` (${e.unchanged} unchanged, skipped)` : ''} in ${secondsText(e.ms)} (${plural(e.calls, 'zfs/btrfs call')}); ${failedTail(e.failed)}`,
  },
  'cleanup-unlisted': {
    level: 'warn',
    text: (e) => `cleanup: cannot list ${e.destination}: ${e.message}; nothing that should be there is destroyed`,
  },
  'cleanup-summary': {
    level: (e) => (e.failed.length ? 'error' : 'info'),
    text: (e) => `cleanup: destroyed ${e.destroyed} of ${plural(e.planned, 'snapshot')}; ${failedTail(e.failed)}`,
  },
};

import type { TreeIndex, TreeKind, TreeSection } from '../../config/sections/tree.js';
import { type ChangeSettings, unchangedDatasets } from '../../domain/snap/changed.js';
import { type Endpoint, placeLabel } from '../../domain/endpoint.js';
import type { HostState } from '../../domain/host-state.js';
import type { Logger, StoreCapabilities } from '../ports.js';

// Whether a store lists `written` (ZfsCapabilities on OpenZFS; never zfs-fuse or btrfs).
export const hasWritten = (caps: StoreCapabilities): boolean => 'written' in caps && caps.written === true;

// The extra property the one listing needs: `written`, where the host has it and a section asks.
export function changeProps(sections: readonly TreeSection[], caps: StoreCapabilities): string[] {
  return hasWritten(caps) && sections.some((s) => s.change.enabled) ? ['written'] : [];
}

// The datasets the take planner skips (dataset → why). A host that cannot tell is said once,
// and its datasets are snapshotted as if changed: an extra snapshot is harmless, a missed one is not.
export function changeSkips(
  trees: TreeIndex,
  kind: TreeKind,
  endpoint: Endpoint,
  state: HostState,
  governed: ReadonlySet<string>,
  caps: StoreCapabilities,
  log: Logger,
): Map<string, string> {
  const has = hasWritten(caps);
  const settingsOf = (dataset: string): ChangeSettings | undefined => {
    if (!governed.has(dataset)) return undefined;
    return trees.governing(endpoint, dataset, kind)?.change;
  };
  const { skip, unknown } = unchangedDatasets(state.datasets, settingsOf, has);
  if (unknown.length > 0) {
    const flavor = kind === 'btrfs' ? 'btrfs' : caps.flavor;
    log.event({ kind: 'change-unknown', host: placeLabel(endpoint), flavor, datasets: unknown.length });
  }
  return skip;
}

import type { DatasetState } from '../host-state.js';
import { zfsBytesText } from '../units.js';

// snap_if_changed, per dataset: its settings after inheritance.
export interface ChangeSettings {
  readonly enabled: boolean;
  readonly threshold: number; // bytes: changed means written > threshold
}

export const CHANGE_DEFAULTS: ChangeSettings = { enabled: false, threshold: 0 };

// Whether a dataset's data changed since its newest snapshot. `known: false` means the host
// cannot tell (no `written` property): the snapshot is taken anyway, never skipped on a guess.
export interface ChangeVerdict {
  readonly changed: boolean;
  readonly known: boolean;
  readonly why: string;
}

// The decision, from what one listing returned. OpenZFS: the dataset's `written` property, the
// bytes its live data references that were written since its newest snapshot (whatever that
// snapshot's name). Elsewhere nothing cheap is exact (docs/views.md), so: changed, unknown.
export function changeVerdict(ds: DatasetState, settings: ChangeSettings, hasWritten: boolean): ChangeVerdict {
  const newest = ds.snapshots[ds.snapshots.length - 1];
  if (!newest) return { changed: true, known: true, why: 'no snapshot yet' };
  const raw = ds.props.written;
  if (!hasWritten || raw === undefined || !/^\d+$/.test(raw)) {
    return { changed: true, known: false, why: 'change unknown (this zfs has no written property): taken anyway' };
  }
  const written = Number(raw);
  const limit = `written_threshold ${zfsBytesText(settings.threshold)}`;
  return written > settings.threshold
    ? { changed: true, known: true, why: `${zfsBytesText(written)} written since @${newest.name} > ${limit}` }
    : { changed: false, known: true, why: `unchanged since @${newest.name} (${zfsBytesText(written)} written ≤ ${limit})` };
}

// The datasets the take planner must skip, with the reason, for the datasets that asked.
export function unchangedDatasets(
  datasets: ReadonlyMap<string, DatasetState>,
  settingsOf: (dataset: string) => ChangeSettings | undefined,
  hasWritten: boolean,
): { skip: Map<string, string>; unknown: string[] } {
  const skip = new Map<string, string>();
  const unknown: string[] = [];
  for (const [name, ds] of datasets) {
    const s = settingsOf(name);
    if (!s?.enabled) continue;
    const v = changeVerdict(ds, s, hasWritten);
    if (!v.known) unknown.push(name);
    else if (!v.changed) skip.set(name, v.why);
  }
  return { skip, unknown };
}

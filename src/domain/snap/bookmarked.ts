import { reasonText } from '../retention/reason.js';
import { type DatasetVerdicts, lazyVerdicts } from './clean.js';

// A bookmark on the source, as send keeps one per destination (named "holdfast_…").
export interface BookmarkRef {
  readonly name: string; // without "#"
  readonly guid: string;
}

// What protects each replication base, for --explain / `holdfast plan`: a hold says so in its
// keep reason already; a base that holdfast bookmarked (hold_base = no) gets a note that its
// bookmark keeps the chain, whether the snapshot stays or goes.
export function noteBookmarked(
  datasets: readonly DatasetVerdicts[],
  bookmarks: ReadonlyMap<string, readonly BookmarkRef[]>,
): DatasetVerdicts[] {
  return datasets.map((d) => {
    const ours = (bookmarks.get(d.dataset) ?? []).filter((b) => b.name.startsWith('holdfast_'));
    if (ours.length === 0) return d;
    return lazyVerdicts(d.dataset, d.section, () =>
      d.verdicts.map((v) => {
        const marks = ours.filter((b) => b.guid === v.item.guid).map((b) => `#${b.name}`);
        if (marks.length === 0) return v;
        const note = `replication base, bookmarked as ${marks.join(', ')}: the bookmark keeps the chain${v.keep ? '' : ' after it goes'}`;
        const why = [...v.why, note];
        return { item: v.item, keep: v.keep, why, reasons: why.map(reasonText) };
      }),
    );
  });
}

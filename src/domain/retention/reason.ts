import type { SnapType } from '../snap-types.js';

// Why a snapshot is kept or goes, as data: rendered to text only when printed (--explain, --json,
// logs). A plan over a million snapshots builds a million reasons and usually prints none.
// A plain string is a reason that is text already (a caller's protection, a guarded type).
export type Reason =
  | string
  | { readonly code: 'newest'; readonly type: SnapType; readonly rank: number; readonly of: number }
  | { readonly code: 'beyond-count'; readonly type: SnapType; readonly count: number | undefined }
  | { readonly code: 'held'; readonly holds: number; readonly tags: readonly string[] | undefined };

export function reasonText(r: Reason): string {
  if (typeof r === 'string') return r;
  switch (r.code) {
    case 'newest':
      return `${r.type} ${r.rank} of ${r.of}`;
    case 'beyond-count':
      if (r.count === undefined) return `${r.type} count is not set: keep none (as pyznap)`;
      if (r.count === 0) return `${r.type} = 0: keep none`;
      return `older than the newest ${r.count} ${r.type}`;
    case 'held':
      return `held (${r.holds} hold${r.holds === 1 ? '' : 's'}${r.tags?.length ? `: ${r.tags.join(', ')}` : ''})`;
  }
}

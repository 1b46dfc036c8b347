import type { ManagedSnapshot } from '../snapshot.js';
import type { SnapType } from '../snap-types.js';

// What the snapshot rules read of a candidate. Clean's candidates are positions in a dataset's
// listing (a million snapshot objects do not fit in 300 MB); store retention's are objects.
export interface Read<S> {
  type(s: S): SnapType;
  createtxg(s: S): number;
  name(s: S): string;
  userrefs(s: S): number;
  holdTags(s: S): readonly string[] | undefined;
}

export const objectRead: Read<ManagedSnapshot> = {
  type: (s) => s.parsed.type,
  createtxg: (s) => s.createtxg,
  name: (s) => s.name,
  userrefs: (s) => s.userrefs,
  holdTags: (s) => s.holdTags,
};

import { posix } from 'node:path';
import { HoldfastError } from '../../domain/errors.js';

// btrfs has no `zfs hold`. holdfast keeps the same idea in a small JSON file in the snapshot
// directory: snapshot name → hold tags. The snapshot store reports them as holds (userrefs and
// holdTags), so the retention engine keeps a held btrfs snapshot exactly as it keeps a held
// ZFS one, and btrfs-send holds its base as zfs send does.
export const HOLDS_FILE = '.holdfast-holds.json';

export type Holds = Readonly<Record<string, readonly string[]>>;

export const holdsPath = (snapshotDir: string): string => posix.join(snapshotDir, HOLDS_FILE);

// The tag a snapshot gets when the holds file cannot be read: clean keeps every snapshot of that
// directory (it cannot know which ones a destination needs) until the file is fixed or deleted.
export const UNREADABLE_HOLDS = 'holdfast:holds-file-unreadable';

export class HoldsFileError extends HoldfastError {
  override name = 'HoldsFileError';

  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}; fix it, or delete it (the next btrfs-send then holds only its own new base)`);
  }
}

// Parse the file's text (undefined: no file, no holds). A file that is not a JSON object of
// string lists throws: it is never taken for "no holds", which would let clean destroy a base.
export function parseHolds(text: string | undefined, path: string): Holds {
  if (text === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new HoldsFileError(path, 'not valid JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new HoldsFileError(path, 'not a JSON object of snapshot name → hold tags');
  const out: Record<string, string[]> = {};
  for (const [name, tags] of Object.entries(v)) {
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string'))
      throw new HoldsFileError(path, `the entry for ${JSON.stringify(name)} is not a list of tags`);
    out[name] = tags as string[];
  }
  return out;
}

// Move `tag` to `snapshot`: the new base is held, the previous one released.
export function moveHold(holds: Holds, tag: string, snapshot: string): Holds {
  const out: Record<string, string[]> = {};
  for (const [name, tags] of Object.entries(holds)) {
    const rest = tags.filter((t) => t !== tag);
    if (rest.length > 0) out[name] = rest;
  }
  out[snapshot] = [...(out[snapshot] ?? []), tag];
  return out;
}

// Holds on snapshots that no longer exist are dropped when the file is written.
export function pruneHolds(holds: Holds, existing: ReadonlySet<string>): Holds {
  return Object.fromEntries(Object.entries(holds).filter(([name]) => existing.has(name)));
}

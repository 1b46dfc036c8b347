import { posix } from 'node:path';

// btrfs has no `zfs hold`. holdfast keeps the same idea in a small JSON file in the snapshot
// directory: snapshot name → hold tags. The snapshot store reports them as holds (userrefs and
// holdTags), so the retention engine keeps a held btrfs snapshot exactly as it keeps a held
// ZFS one, and btrfs-send holds its base as zfs send does.
export const HOLDS_FILE = '.holdfast-holds.json';

export type Holds = Readonly<Record<string, readonly string[]>>;

export const holdsPath = (snapshotDir: string): string => posix.join(snapshotDir, HOLDS_FILE);

// Parse the file's text; anything unreadable counts as no holds, but never throws away a tag
// that parsed (a corrupt file is rewritten by the next send).
export function parseHolds(text: string | undefined): Holds {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    const out: Record<string, string[]> = {};
    for (const [name, tags] of Object.entries(v)) {
      if (Array.isArray(tags)) out[name] = tags.filter((t): t is string => typeof t === 'string');
    }
    return out;
  } catch {
    return {};
  }
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

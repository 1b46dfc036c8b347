import { createHash } from 'node:crypto';
import type { Endpoint } from '../../domain/endpoint.js';
import type { HostState } from '../../domain/host-state.js';
import { tagPlace } from '../../domain/replication/hold-tag.js';
import type { SnapRef } from '../../domain/replication/types.js';
import type { ZfsSingle } from '../../domain/zfs-command.js';
import type { Pin } from './holds.js';
import type { ReplicationOps } from './ports.js';

// The bookmark that keeps a destination's chain on the source (OpenZFS): one per destination,
// named from the destination as its hold tag is. zfs allows only [A-Za-z0-9_.:-] and spaces in a
// bookmark's name, so the place is spelled with "_" for the rest, cut short, and made unique by
// a digest of the place itself ("holdfast_root_nas_pool_data_1a2b3c4d").
export function bookmarkName(dest: Endpoint, destRoot: string): string {
  const place = tagPlace(dest, destRoot);
  const readable = place.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 48);
  return `holdfast_${readable}_${createHash('sha256').update(place).digest('hex').slice(0, 8)}`;
}

// After the holds: bookmark each pair's new base on the source as `name`, replacing the
// destination's previous bookmark there (destroyed first: zfs cannot rename a bookmark, and
// the new base is held or was just sent, so the chain is never without an anchor for long).
export async function markBases(
  side: { readonly ops: ReplicationOps; readonly state: HostState; readonly bookmarks: ReadonlyMap<string, readonly SnapRef[]> },
  name: string,
  pins: readonly Pin[],
  dryRun: boolean,
): Promise<{ commands: string[]; errors: string[] }> {
  const commands: string[] = [];
  const errors: string[] = [];
  for (const p of pins) {
    const ds = p.plan.source;
    const snap = side.state.datasets.get(ds)?.snapshots.find((s) => s.name === p.base);
    if (!snap) continue; // the base is gone here: its bookmark (if any) is what keeps the chain
    const existing = side.bookmarks.get(ds)?.find((b) => b.name === name);
    if (existing?.guid === snap.guid) continue;
    const cmds: ZfsSingle[] = [
      ...(existing ? [{ op: 'destroy-bookmark', bookmark: `${ds}#${name}` } as const] : []),
      { op: 'bookmark', snapshot: `${ds}@${p.base}`, bookmark: `${ds}#${name}` },
    ];
    for (const c of cmds) {
      commands.push(side.ops.print(c));
      if (dryRun) continue;
      try {
        await side.ops.run(c);
      } catch (e) {
        errors.push(`cannot ${c.op === 'bookmark' ? 'bookmark' : 'replace the bookmark of'} ${ds}@${p.base}: ${(e as Error).message}`);
        break;
      }
    }
  }
  return { commands, errors };
}

import type { Endpoint } from '../../domain/endpoint.js';
import type { SourceSnap } from '../../domain/store/select.js';
import type { CommandRunner } from '../exec/runner.js';
import { zfsGet } from '../zfs/commands.js';
import { classifyZfsError } from '../zfs/errors.js';
import { topRoots } from '../zfs/parse-get.js';

export interface SourceListing {
  readonly datasets: ReadonlyMap<string, readonly SourceSnap[]>; // parents first; snapshots oldest first
  readonly missing: readonly string[];
}

const PROPS = ['type', 'guid', 'createtxg', 'creation', 'userrefs'];
const MISSING = /cannot open '([^']+)': dataset does not exist/g;

// Why: the store needs each snapshot's creation time for its manifest and full_every, which the
// shared listing (parse-get.ts) does not keep for snapshots. Still one `zfs get -Hp -r` per call.
export async function listSourceSnapshots(runner: CommandRunner, endpoint: Endpoint, roots: readonly string[]): Promise<SourceListing> {
  const argv = zfsGet(PROPS, topRoots(roots), true);
  const r = await runner.run({ argv, endpoint, mutates: false });
  const missing = [...r.stderr.matchAll(MISSING)].map((m) => m[1]!);
  if (r.exitCode !== 0 && missing.length === 0) throw classifyZfsError(r.stderr, argv, r.exitCode, r.sshFix);
  return { datasets: parseListing(r.stdout), missing };
}

export function parseListing(stdout: string): Map<string, SourceSnap[]> {
  const rows = new Map<string, Record<string, string>>();
  for (const line of stdout.split('\n')) {
    const [name, prop, value] = line.split('\t');
    if (!name || !prop || value === undefined || name.includes('#')) continue;
    rows.set(name, { ...rows.get(name), [prop]: value });
  }
  const datasets = new Map<string, SourceSnap[]>();
  const snaps: (SourceSnap & { dataset: string })[] = [];
  for (const [name, r] of rows) {
    const at = name.indexOf('@');
    if (at < 0) {
      if (r.type === 'filesystem' || r.type === 'volume') datasets.set(name, []);
      continue;
    }
    snaps.push({
      dataset: name.slice(0, at),
      name: name.slice(at + 1),
      guid: r.guid ?? '',
      createtxg: Number(r.createtxg),
      createdMs: Number(r.creation) * 1000,
      userrefs: /^\d+$/.test(r.userrefs ?? '') ? Number(r.userrefs) : 0,
    });
  }
  snaps.sort((a, b) => a.createtxg - b.createtxg);
  for (const { dataset, ...s } of snaps) datasets.get(dataset)?.push(s);
  return datasets;
}

import type { PolicyFile } from '../../config/policy-file.js';
import { isSelfOrDescendant } from '../../domain/dataset-name.js';
import { endpointKey } from '../../domain/endpoint.js';
import { type ZfsLocation, locationLabel, parseLocation } from '../../domain/location.js';
import { jobsFromConfig } from '../send/jobs.js';
import type { TreeTarget } from './tree.js';
import { UsageError } from '../../domain/errors.js';

// A tree argument that names nothing holdfast can list: a usage error (exit 2).
export class TreeArgumentError extends UsageError {
  override name = 'TreeArgumentError';
}

// What `holdfast tree [source|target|DEST]` shows: the configured sources (default), every
// configured destination, a section by name, or any dataset / ssh:PORT:USER@HOST:DATASET.
export function treeTargets(file: PolicyFile | undefined, arg: string | undefined): TreeTarget[] {
  if (arg === undefined || arg === 'source') return sources(need(file, arg ?? 'source'));
  if (arg === 'target') return targets(need(file, arg));
  const section = file?.sections.find((s) => s.name === arg && s.location?.kind === 'zfs');
  if (section) return [{ location: section.location as ZfsLocation, role: 'source', section: section.name }];
  const dest = file ? targets(file).find((t) => locationLabel(t.location) === arg || t.section === arg) : undefined;
  if (dest) return [dest];
  const p = parseLocation(arg);
  if (!p.ok) throw new TreeArgumentError(`tree: ${p.problem}`);
  if (p.value.kind !== 'zfs')
    throw new TreeArgumentError(`tree: ${arg} is not a zfs dataset (write a dataset or ssh:PORT:USER@HOST:DATASET)`);
  return [{ location: p.value, role: 'given' }];
}

function need(file: PolicyFile | undefined, what: string): PolicyFile {
  if (!file) throw new TreeArgumentError(`tree ${what}: no config file; name a dataset or ssh:PORT:USER@HOST:DATASET instead`);
  return file;
}

// Every zfs section whose dataset is not inside another section's on the same host.
function sources(file: PolicyFile): TreeTarget[] {
  const all = file.sections.flatMap((s) =>
    s.location?.kind === 'zfs' ? [{ location: s.location, role: 'source' as const, section: s.name }] : [],
  );
  return dedupe(all);
}

// Every zfs destination of every section, each once.
function targets(file: PolicyFile): TreeTarget[] {
  return dedupe(
    jobsFromConfig(file).jobs.map((j) => ({
      location: j.dest,
      role: 'target' as const,
      ...(j.section ? { section: j.section.name } : {}),
    })),
  );
}

function dedupe(list: readonly TreeTarget[]): TreeTarget[] {
  const inside = (a: TreeTarget, b: TreeTarget): boolean =>
    endpointKey(a.location.endpoint) === endpointKey(b.location.endpoint) && isSelfOrDescendant(a.location.dataset, b.location.dataset);
  return list.filter((t, i) => !list.some((o, j) => (j < i && inside(t, o)) || (j !== i && inside(t, o) && !inside(o, t))));
}

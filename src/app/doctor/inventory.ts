import type { PolicyFile } from '../../config/policy-file.js';
import { type Endpoint, type SshEndpoint, endpointKey, placeLabel } from '../../domain/endpoint.js';
import type { Location } from '../../domain/location.js';

// A place the config names, with the section (and line) to point fixes at.
export interface Origin {
  readonly section: string;
  readonly line: number;
}

export interface SourceDataset extends Origin {
  readonly endpoint: Endpoint;
  readonly dataset: string;
}

export interface Destination extends Origin {
  readonly source: Endpoint;
  readonly location: Location;
  readonly index: number; // position in dest
  readonly autoCreate: boolean;
  readonly compress: string; // none, lzop, ...
  readonly compressLine?: number; // where compress is set
  readonly raw: boolean;
  readonly key?: string; // dest_keys entry (ssh destinations)
}

export interface Host {
  readonly endpoint: Endpoint;
  readonly key?: string; // the identity file the config gives for this host, if any
  readonly origin: Origin; // the first section that names it
}

// What a config file asks holdfast to touch, for the checks: hosts, datasets, destinations.
export interface Inventory {
  readonly hosts: readonly Host[]; // local first when used, then ssh hosts in file order
  readonly sources: readonly SourceDataset[]; // zfs sections that snap, clean or send
  readonly destinations: readonly Destination[];
}

export const EMPTY_INVENTORY: Inventory = { hosts: [], sources: [], destinations: [] };

export function inventoryOf(file: PolicyFile): Inventory {
  const hosts = new Map<string, Host>();
  const addHost = (endpoint: Endpoint, origin: Origin, key?: string) => {
    const k = endpointKey(endpoint);
    const h = hosts.get(k);
    if (!h) hosts.set(k, { endpoint, origin, ...(key ? { key } : {}) });
    else if (key && !h.key) hosts.set(k, { ...h, key });
  };
  const sources: SourceDataset[] = [];
  const destinations: Destination[] = [];
  for (const t of file.trees) {
    if (t.kind !== 'zfs') continue;
    const origin = { section: t.name, line: t.line };
    const dests = destinationsOf(file, t.name);
    if (!t.policy.snap && !t.policy.clean && dests.length === 0) continue;
    addHost(t.endpoint, origin, t.key);
    sources.push({ ...origin, endpoint: t.endpoint, dataset: t.dataset });
    for (const d of dests) {
      destinations.push(d);
      if (d.location.kind === 'zfs') addHost(d.location.endpoint, origin, d.key);
    }
  }
  const ordered = [...hosts.values()].sort((a, b) => (a.endpoint.kind === 'local' ? -1 : b.endpoint.kind === 'local' ? 1 : 0));
  return { hosts: ordered, sources, destinations };
}

// A section's destinations with the settings send gives them (config/sections/dests.ts); ones
// that are not a location are left to send, which reports them.
function destinationsOf(file: PolicyFile, section: string): Destination[] {
  return file.sends.flatMap((t): Destination[] => {
    if (t.section.name !== section || t.source.kind !== 'zfs' || t.kind === 'invalid' || t.kind === 'btrfs') return [];
    const at = { section: t.section.name, line: t.section.line, source: t.source.endpoint, location: t.dest, index: t.index };
    if (t.kind !== 'zfs') return [{ ...at, autoCreate: false, compress: 'none', raw: false }];
    const o = t.options;
    const remote = t.source.endpoint.kind === 'ssh' || t.dest.endpoint.kind === 'ssh';
    return [
      {
        ...at,
        autoCreate: o.autoCreate,
        compress: remote ? (o.compress || 'lzop').toLowerCase() : 'none',
        ...(t.compressLine ? { compressLine: t.compressLine } : {}),
        raw: o.raw,
        ...(o.destKey ? { key: o.destKey } : {}),
      },
    ];
  });
}

// "root@backup:22" or "local": how rows name a host.
export function hostLabel(e: Endpoint): string {
  return e.kind === 'local' ? 'local' : placeLabel(e);
}

export type { SshEndpoint };

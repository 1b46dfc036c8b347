import { PolicyResolver, treeOf } from '../../config/resolve.js';
import type { PolicyFile, SectionConfig } from '../../config/policy-file.js';
import { type Endpoint, type SshEndpoint, endpointKey, placeLabel } from '../../domain/endpoint.js';
import { type Location, parseLocation } from '../../domain/location.js';

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
  const r = new PolicyResolver(file);
  const hosts = new Map<string, Host>();
  const addHost = (endpoint: Endpoint, origin: Origin, key?: string) => {
    const k = endpointKey(endpoint);
    const h = hosts.get(k);
    if (!h) hosts.set(k, { endpoint, origin, ...(key ? { key } : {}) });
    else if (key && !h.key) hosts.set(k, { ...h, key });
  };
  const sources: SourceDataset[] = [];
  const destinations: Destination[] = [];
  for (const s of file.sections) {
    const t = treeOf(s);
    if (!t || t.kind !== 'zfs') continue;
    const origin = { section: s.name, line: s.line };
    const p = r.snapPolicy(s);
    const dests = destinationsOf(s, file.defaults, t.endpoint, origin);
    if (!p.snap && !p.clean && dests.length === 0) continue;
    addHost(t.endpoint, origin, r.value<string>(s, 'key')?.value || undefined);
    sources.push({ ...origin, endpoint: t.endpoint, dataset: t.name });
    for (const d of dests) {
      destinations.push(d);
      if (d.location.kind === 'zfs') addHost(d.location.endpoint, origin, d.key);
    }
  }
  const ordered = [...hosts.values()].sort((a, b) => (a.endpoint.kind === 'local' ? -1 : b.endpoint.kind === 'local' ? 1 : 0));
  return { hosts: ordered, sources, destinations };
}

// A section's destinations with their per-destination settings (pyznap's list rules: dest_keys
// and compress may have one entry per ssh destination instead of one per destination).
function destinationsOf(s: SectionConfig, defaults: SectionConfig, source: Endpoint, origin: Origin): Destination[] {
  const dest = (s.values.get('dest') ?? defaults.values.get('dest'))?.value as string[] | undefined;
  if (!dest) return [];
  const list = <T>(key: string): T[] | undefined => s.values.get(key)?.value as T[] | undefined;
  const locs = dest.map(parseLocation);
  const isSsh = locs.map((l) => l.ok && l.value.kind === 'zfs' && l.value.endpoint.kind === 'ssh');
  const sshIndex = isSsh.map((_, i) => isSsh.slice(0, i).filter(Boolean).length);
  const perDest = <T>(values: T[] | undefined, i: number, sshOnly: boolean): T | undefined => {
    if (!values) return undefined;
    if (values.length === dest.length || !sshOnly) return values[i];
    return isSsh[i] ? values[sshIndex[i]!] : undefined;
  };
  return locs.flatMap((l, i) => {
    if (!l.ok) return [];
    const key = perDest(list<string>('dest_keys'), i, true);
    const remote = source.kind === 'ssh' || isSsh[i];
    return [
      {
        ...origin,
        source,
        location: l.value,
        index: i,
        autoCreate: perDest(list<boolean>('dest_auto_create'), i, false) ?? false,
        compress: remote ? (perDest(list<string>('compress'), i, true) || 'lzop').toLowerCase() : 'none',
        raw: perDest(list<boolean>('raw_send'), i, false) ?? false,
        ...(key ? { key } : {}),
      },
    ];
  });
}

// "root@backup:22" or "local": how rows name a host.
export function hostLabel(e: Endpoint): string {
  return e.kind === 'local' ? 'local' : placeLabel(e);
}

export type { SshEndpoint };

import { type ChainInfo, type ObjectFacts, analyzeChains } from './chain.js';
import type { Checked, Manifest } from './manifest.js';
import { parseKey } from './names.js';

// Everything a store holds for one dataset, from one listing and its manifests.
export interface DatasetIndex {
  readonly dataset: string;
  readonly stored: ReadonlyMap<string, Manifest>; // readable manifests by snapshot
  readonly unreadable: ReadonlyMap<string, string>; // snapshot → why its manifest cannot be used
  readonly streams: ReadonlyMap<string, ObjectFacts & { readonly snapshot: string }>; // stream objects by key
  readonly chains: ReadonlyMap<string, ChainInfo>;
}

export interface StoreIndex {
  readonly datasets: ReadonlyMap<string, DatasetIndex>; // by dataset name, sorted
  readonly foreign: readonly string[]; // keys holdfast did not write: never touched
}

export interface ListedObject {
  readonly key: string;
  readonly bytes: number;
  readonly lastModifiedMs?: number;
}

// Build the index from a listing and the manifests read from it (key → checked content).
export function buildIndex(listing: readonly ListedObject[], manifests: ReadonlyMap<string, Checked<Manifest>>): StoreIndex {
  const acc = new Map<
    string,
    { stored: Map<string, Manifest>; unreadable: Map<string, string>; streams: Map<string, ObjectFacts & { snapshot: string }> }
  >();
  const of = (dataset: string) => {
    let d = acc.get(dataset);
    if (!d) acc.set(dataset, (d = { stored: new Map(), unreadable: new Map(), streams: new Map() }));
    return d;
  };
  const foreign: string[] = [];
  const objects = new Map<string, ObjectFacts>();
  for (const o of listing) {
    const k = parseKey(o.key);
    if (!k) {
      foreign.push(o.key);
      continue;
    }
    if (k.ns === 'stream') {
      const facts = { bytes: o.bytes, ...(o.lastModifiedMs !== undefined ? { lastModifiedMs: o.lastModifiedMs } : {}) };
      objects.set(o.key, facts);
      of(k.dataset).streams.set(o.key, { ...facts, snapshot: k.snapshot });
      continue;
    }
    const m = manifests.get(o.key);
    if (!m) of(k.dataset).unreadable.set(k.snapshot, `${o.key}: not read`);
    else if (!m.ok) of(k.dataset).unreadable.set(k.snapshot, m.problem);
    else of(k.dataset).stored.set(k.snapshot, m.value);
  }
  const datasets = new Map<string, DatasetIndex>();
  for (const name of [...acc.keys()].sort()) {
    const d = acc.get(name)!;
    datasets.set(name, { dataset: name, ...d, chains: analyzeChains(d.stored, objects) });
  }
  return { datasets, foreign };
}

// The manifest keys of a listing: what must be read to build the index.
export function manifestKeysOf(listing: readonly ListedObject[]): string[] {
  return listing.filter((o) => parseKey(o.key)?.ns === 'manifest').map((o) => o.key);
}

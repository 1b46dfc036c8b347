import type { CleanCapabilities, DestroyBatch } from '../snap/clean.js';
import type { HostState } from '../host-state.js';
import { type SnapPolicy, managedPrefixes } from '../policy.js';
import { destNameFor, exclusionOf, findCommonBase } from '../replication/index.js';
import { keepHeld } from '../retention/keep-held.js';
import { objectRead } from '../retention/read.js';
import { type KeepRule, type Verdict, decide } from '../retention/rule.js';
import { type ManagedSnapshot, type Snapshot, asManaged } from '../snapshot.js';
import { treeOrder } from './tree.js';

// One destination of the section, as listed (or why it could not be).
export interface CleanupDest {
  readonly label: string; // "backup/data" or "ssh:22:root@nas:tank/data"
  readonly root: string;
  readonly state?: HostState; // unset: could not be listed, or not zfs (s3://, file://)
  readonly problem?: string; // why there is no state
  readonly excludes: readonly string[];
}

export interface CleanupInput {
  readonly source: { readonly root: string; readonly state: HostState };
  readonly dests: readonly CleanupDest[];
  readonly keep: number; // of the snapshots present everywhere, the newest `keep` stay
  readonly policyOf: (dataset: string) => SnapPolicy | undefined;
  readonly caps: CleanCapabilities;
}

export interface CleanupPlan {
  readonly datasets: readonly { readonly dataset: string; readonly verdicts: readonly Verdict<ManagedSnapshot>[] }[];
  readonly batches: readonly DestroyBatch[];
}

// abgleich's cleanup: destroy managed source snapshots that every destination holds (same
// name and guid), beyond the newest `keep` of them. Never a held snapshot, a destination's
// common base, the newest snapshot of a type (snap's due rule reads it), or anything that is
// missing on, excluded from or unreadable on any destination.
export function planCleanup(i: CleanupInput): CleanupPlan {
  const datasets: { dataset: string; verdicts: Verdict<ManagedSnapshot>[] }[] = [];
  const batches: DestroyBatch[] = [];
  const names = [...i.source.state.datasets.keys()].filter((d) => d === i.source.root || d.startsWith(`${i.source.root}/`)).sort(treeOrder);
  for (const dataset of names) {
    const ds = i.source.state.datasets.get(dataset)!;
    const policy = i.policyOf(dataset);
    if (!policy) continue;
    const prefixes = managedPrefixes(policy);
    const managed: ManagedSnapshot[] = [];
    for (const s of ds.snapshots) {
      const m = asManaged(s, prefixes);
      if (m) managed.push(m);
    }
    const unreplicated = keepUnreplicated(dataset, i);
    const rules = [
      unreplicated,
      keepHeld(objectRead),
      keepBases(dataset, ds.snapshots, i),
      keepNewestEverywhere(i.keep, unreplicated),
      keepNewestOfType(),
    ];
    const verdicts = decide(managed, rules, () => `on every destination (same guid), older than the newest ${i.keep} there`);
    datasets.push({ dataset, verdicts });
    const doomed = verdicts.filter((v) => !v.keep).map((v) => v.item.name);
    const groups = i.caps.commaDestroy ? (doomed.length ? [doomed] : []) : doomed.map((n) => [n]);
    for (const g of groups)
      batches.push({ kind: 'destroy', dataset, snapNames: g, recursive: false, covers: g.map((name) => ({ dataset, name })) });
  }
  return { datasets, batches };
}

// Present (same guid) on one destination, per snapshot name; or why nothing there counts.
function presence(dataset: string, d: CleanupDest, sourceRoot: string): { names: Map<string, string> } | { why: string } {
  const ex = exclusionOf(dataset, sourceRoot, d.excludes);
  if (ex) return { why: `excluded from ${d.label} (${ex.pattern})` };
  if (!d.state) return { why: d.problem ?? `${d.label} could not be listed` };
  const there = d.state.datasets.get(destNameFor(dataset, sourceRoot, d.root));
  if (!there) return { why: `${destNameFor(dataset, sourceRoot, d.root)} does not exist on ${d.label}` };
  return { names: new Map(there.snapshots.map((s) => [s.name, s.guid])) };
}

function keepUnreplicated(dataset: string, i: CleanupInput): KeepRule<ManagedSnapshot> {
  return (candidates) => {
    const kept = new Map<ManagedSnapshot, string>();
    if (i.dests.length === 0) {
      for (const s of candidates) kept.set(s, 'the section has no zfs destination to check against');
      return kept;
    }
    for (const d of i.dests) {
      const p = presence(dataset, d, i.source.root);
      for (const s of candidates) {
        if (kept.has(s)) continue;
        if ('why' in p) kept.set(s, p.why);
        else if (!p.names.has(s.name)) kept.set(s, `not on ${d.label}`);
        else if (p.names.get(s.name) !== s.guid) kept.set(s, `on ${d.label} with a different guid`);
      }
    }
    return kept;
  };
}

// Each destination's newest common snapshot is its next incremental base (send holds it too).
function keepBases(dataset: string, all: readonly Snapshot[], i: CleanupInput): KeepRule<ManagedSnapshot> {
  return (candidates) => {
    const kept = new Map<ManagedSnapshot, string>();
    for (const d of i.dests) {
      const there = d.state?.datasets.get(destNameFor(dataset, i.source.root, d.root));
      const base = there ? findCommonBase(all, there.snapshots).base : undefined;
      const s = base && candidates.find((c) => c.name === base.name);
      if (s) kept.set(s, [kept.get(s), `common base with ${d.label}`].filter(Boolean).join('; '));
    }
    return kept;
  };
}

// The newest `keep` of those every destination holds (the others are kept by `unreplicated`).
function keepNewestEverywhere(keep: number, unreplicated: KeepRule<ManagedSnapshot>): KeepRule<ManagedSnapshot> {
  return (candidates) => {
    const missing = unreplicated(candidates);
    const newestFirst = candidates.filter((s) => !missing.has(s)).sort((a, b) => b.createtxg - a.createtxg);
    return new Map(newestFirst.slice(0, keep).map((s, n) => [s, `newest ${n + 1} of ${keep} kept (cleanup_keep)`]));
  };
}

// Destroying the newest daily would make snap take another one in the same day.
function keepNewestOfType(): KeepRule<ManagedSnapshot> {
  return (candidates) => {
    const kept = new Map<ManagedSnapshot, string>();
    for (const s of [...candidates].sort((a, b) => b.createtxg - a.createtxg)) {
      if (![...kept.keys()].some((k) => k.parsed.type === s.parsed.type)) kept.set(s, `newest ${s.parsed.type} (snap's due rule reads it)`);
    }
    return kept;
  };
}

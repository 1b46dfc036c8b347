import { type SnapPolicy, managedPrefixes } from '../policy.js';
import { keepGuardedTypes } from '../retention/keep-guarded.js';
import { keepNewestPerType, whyBeyondCount } from '../retention/keep-newest.js';
import { objectRead } from '../retention/read.js';
import { decide } from '../retention/rule.js';
import type { ManagedSnapshot } from '../snapshot.js';
import { parseSnapshotName } from '../snapshot-name.js';
import type { ChainInfo, ObjectFacts } from './chain.js';
import { type Manifest, snapLabel, storedOrder } from './manifest.js';
import { manifestKey } from './names.js';

export interface StorePruneInput {
  readonly dataset: string;
  readonly stored: ReadonlyMap<string, Manifest>; // readable manifests by snapshot name
  readonly chains: ReadonlyMap<string, ChainInfo>;
  readonly unreadable: ReadonlySet<string>; // snapshots whose manifest exists but cannot be read
  readonly streams: ReadonlyMap<string, ObjectFacts & { readonly snapshot: string }>; // this dataset's stream objects
  readonly policy: SnapPolicy; // the store section's counts and clean
  readonly nowMs: number;
  readonly orphanGraceMs: number;
}

export interface StoredVerdict {
  readonly snapshot: string;
  readonly createtxg: number;
  readonly kind: Manifest['kind'];
  readonly keep: boolean;
  readonly reasons: readonly string[]; // every reason it stays, or the one reason it goes
  readonly keys: readonly string[]; // its manifest and its stream object
}

export interface OrphanVerdict {
  readonly key: string;
  readonly keep: boolean;
  readonly reason: string;
}

export interface StoreDelete {
  readonly key: string;
  readonly why: string;
}

// A store prune as data: printed by --explain/--dry-run, executed in `deletes` order.
export interface StorePrunePlan {
  readonly dataset: string;
  readonly section: string;
  readonly verdicts: readonly StoredVerdict[]; // oldest first
  readonly orphans: readonly OrphanVerdict[];
  readonly deletes: readonly StoreDelete[];
}

type Candidate = ManagedSnapshot & { readonly manifest: Manifest };

// Keep what the counts keep (newest N per type, by creation order, as `clean`), the newest stored
// snapshot (the next upload's base) and everything that is not a managed name; then keep every
// link of every kept snapshot's chain. Delete the rest, newest first and manifests before their
// objects, so a prune that stops half-way never leaves a manifest whose chain it has broken.
export function planStorePrune(p: StorePruneInput): StorePrunePlan {
  const all = [...p.stored.values()].sort(storedOrder);
  const reasons = new Map<string, string[]>(all.map((m) => [m.snapshot, []]));
  const add = (snap: string, why: string): void => void reasons.get(snap)?.push(why);
  const policy = p.policy;
  const newest = all[all.length - 1];
  let doomedWhy = new Map<string, string>();
  // A chain that cannot be traced (a manifest unreadable, perhaps for a moment; a link missing)
  // may run through anything: prune nothing of this dataset until `holdfast status` is clean.
  const untraced = untracedWhy(p);
  if (!policy.clean) {
    for (const m of all) add(m.snapshot, `clean is not yes in [${policy.section}]: nothing is pruned`);
  } else if (untraced) {
    for (const m of all) add(m.snapshot, `${untraced}: nothing of this dataset is pruned until holdfast status shows every chain whole`);
  } else {
    const prefixes = managedPrefixes(policy);
    const candidates: Candidate[] = [];
    for (const [index, m] of all.entries()) {
      const parsed = parseSnapshotName(m.snapshot);
      if (parsed && prefixes.includes(parsed.prefix))
        candidates.push({
          dataset: m.dataset,
          name: m.snapshot,
          createtxg: index,
          guid: m.guid,
          userrefs: 0,
          parsed,
          manifest: m,
        });
      else add(m.snapshot, 'not a managed snapshot name: never pruned (as clean)');
    }
    const verdicts = decide(
      candidates,
      [keepNewestPerType(policy.counts, objectRead), keepGuardedTypes(policy.guardedTypes, objectRead)],
      whyBeyondCount(policy.counts, objectRead),
    );
    for (const v of verdicts) (v.keep ? v.reasons : []).forEach((r) => add(v.item.name, r));
    doomedWhy = new Map(verdicts.filter((v) => !v.keep).map((v) => [v.item.name, v.reasons[0]!]));
    if (newest) add(newest.snapshot, 'the newest stored snapshot: the base of the next upload');
  }
  // Chain closure: every link under a kept snapshot stays, whatever its own verdict.
  const neededBy = new Map<string, string[]>();
  for (const m of all) {
    if (reasons.get(m.snapshot)!.length === 0) continue;
    for (const link of p.chains.get(m.snapshot)?.links ?? []) {
      if (link.snapshot === m.snapshot) continue;
      const by = neededBy.get(link.snapshot);
      if (by) by.push(m.snapshot);
      else neededBy.set(link.snapshot, [m.snapshot]);
    }
  }
  for (const [snap, by] of neededBy)
    add(
      snap,
      `in the chain of kept ${by.length === 1 ? '' : `${by.length} snapshots: `}${by
        .slice(0, 3)
        .map((s) => `@${s}`)
        .join(', ')}${by.length > 3 ? ', …' : ''}`,
    );
  const verdicts: StoredVerdict[] = all.map((m) => {
    const r = reasons.get(m.snapshot)!;
    const keys = [manifestKey(m.dataset, m.snapshot), m.object.key];
    return r.length > 0
      ? { snapshot: m.snapshot, createtxg: m.createtxg, kind: m.kind, keep: true, reasons: r, keys }
      : {
          snapshot: m.snapshot,
          createtxg: m.createtxg,
          kind: m.kind,
          keep: false,
          reasons: [`${doomedWhy.get(m.snapshot) ?? 'not kept'}, and no kept snapshot's chain needs it`],
          keys,
        };
  });
  const orphans = orphanVerdicts(p);
  const doomed = verdicts.filter((v) => !v.keep).reverse(); // newest first
  const deletes: StoreDelete[] = [
    ...doomed.map((v) => ({
      key: v.keys[0]!,
      why: `manifest of ${snapLabel({ dataset: p.dataset, snapshot: v.snapshot })}: ${v.reasons[0]}`,
    })),
    ...doomed.map((v) => ({
      key: v.keys[1]!,
      why: `stream of ${snapLabel({ dataset: p.dataset, snapshot: v.snapshot })}, whose manifest is gone`,
    })),
    ...orphans.filter((o) => !o.keep).map((o) => ({ key: o.key, why: o.reason })),
  ];
  return { dataset: p.dataset, section: policy.section, verdicts, orphans, deletes };
}

function untracedWhy(p: StorePruneInput): string | undefined {
  const snap = [...p.unreadable][0];
  if (snap !== undefined) return `the manifest of @${snap} cannot be read`;
  const broken = [...p.chains.values()].find((c) => !c.healthy);
  return broken ? `the chain of @${broken.manifest.snapshot} is broken (${broken.problem ?? 'a link is missing'})` : undefined;
}

// Stream objects no manifest refers to: an interrupted upload, or a stream a later full replaced.
function orphanVerdicts(p: StorePruneInput): OrphanVerdict[] {
  const referenced = new Set([...p.stored.values()].map((m) => m.object.key));
  const out: OrphanVerdict[] = [];
  for (const [key, o] of p.streams) {
    if (referenced.has(key)) continue;
    if (p.unreadable.has(o.snapshot)) {
      out.push({ key, keep: true, reason: `the manifest of @${o.snapshot} cannot be read: kept until it is fixed` });
    } else if (!p.policy.clean) {
      out.push({ key, keep: true, reason: `no manifest refers to it; clean is not yes in [${p.policy.section}]` });
    } else if (o.lastModifiedMs !== undefined && p.nowMs - o.lastModifiedMs < p.orphanGraceMs) {
      out.push({
        key,
        keep: true,
        reason: `no manifest refers to it yet, and it is younger than ${Math.round(p.orphanGraceMs / 60_000)} min: an upload may be finishing`,
      });
    } else {
      out.push({ key, keep: false, reason: 'no manifest refers to it: an interrupted upload or a replaced stream' });
    }
  }
  return out;
}

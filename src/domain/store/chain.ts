import type { Manifest } from './manifest.js';

// What a listing says about a stream object: it exists, with this size.
export interface ObjectFacts {
  readonly bytes: number;
  readonly lastModifiedMs?: number;
}

// One stored snapshot's chain: the links from its full stream to itself, and whether every one
// of them is there. A chain is healthy when every ancestor's manifest is present and names the
// guid the child was sent from, every link's object exists with the recorded size, and every
// link records its sha256 (the manifest check insists on that).
export interface ChainInfo {
  readonly manifest: Manifest;
  readonly links: readonly Manifest[]; // full first; up to the break when broken
  readonly healthy: boolean;
  readonly problem?: string; // the first thing wrong, walking back from this snapshot
  readonly brokenAt?: string; // the snapshot whose link is wrong
}

// Why one link (taken alone) cannot be used; undefined when it can.
export function linkProblem(m: Manifest, objects: ReadonlyMap<string, ObjectFacts> | undefined): string | undefined {
  if (!objects) return undefined;
  const o = objects.get(m.object.key);
  if (!o) return `its stream object ${m.object.key} is missing`;
  if (o.bytes !== m.object.bytes) return `its stream object ${m.object.key} has ${o.bytes} bytes, the manifest says ${m.object.bytes}`;
  return undefined;
}

// Chains of every stored snapshot of one dataset (manifests by snapshot name). `objects` is the
// store listing; without it only the manifests are checked.
export function analyzeChains(byName: ReadonlyMap<string, Manifest>, objects?: ReadonlyMap<string, ObjectFacts>): Map<string, ChainInfo> {
  const out = new Map<string, Chain>();
  const visit = (start: Manifest): ChainInfo => {
    const path: Manifest[] = [];
    const seen = new Set<string>();
    let cur: Manifest | undefined = start;
    let result: { healthy: boolean; problem?: string; brokenAt?: string; base: Chain | undefined } | undefined;
    while (cur && !result) {
      const done = out.get(cur.snapshot);
      if (done) {
        result = { healthy: done.healthy, base: done, ...(done.problem ? { problem: done.problem, brokenAt: done.brokenAt! } : {}) };
        break;
      }
      if (seen.has(cur.snapshot)) {
        result = { healthy: false, problem: `@${cur.snapshot}: its parents form a loop`, brokenAt: cur.snapshot, base: undefined };
        break;
      }
      seen.add(cur.snapshot);
      path.push(cur);
      const own = linkProblem(cur, objects);
      if (own) {
        result = { healthy: false, problem: `@${cur.snapshot}: ${own}`, brokenAt: cur.snapshot, base: undefined };
        break;
      }
      if (cur.kind === 'full' || !cur.parent) {
        result = { healthy: true, base: undefined };
        break;
      }
      const parent = byName.get(cur.parent.snapshot);
      if (!parent) {
        result = {
          healthy: false,
          problem: `@${cur.snapshot}: its parent @${cur.parent.snapshot} is not stored`,
          brokenAt: cur.snapshot,
          base: undefined,
        };
      } else if (parent.guid !== cur.parent.guid) {
        result = {
          healthy: false,
          problem: `@${cur.snapshot}: its parent @${parent.snapshot} is stored with guid ${parent.guid}, but the stream was made from guid ${cur.parent.guid}`,
          brokenAt: cur.snapshot,
          base: undefined,
        };
      }
      cur = parent;
    }
    const r = result ?? { healthy: false, problem: 'no chain', base: undefined };
    // Record every snapshot on the path, oldest first, each pointing at the link before it.
    let below = r.base;
    for (const m of path.reverse()) {
      below = new Chain(m, below, r.healthy, r.problem, r.brokenAt);
      out.set(m.snapshot, below);
    }
    return out.get(start.snapshot)!;
  };
  for (const m of byName.values()) if (!out.has(m.snapshot)) visit(m);
  return out;
}

// A chain as a link and the chain below it: every snapshot of a long chain shares the links below
// it (a copy per snapshot was quadratic in the chain's length), listed only when read.
class Chain implements ChainInfo {
  declare readonly problem?: string;
  declare readonly brokenAt?: string;
  constructor(
    readonly manifest: Manifest,
    private readonly below: Chain | undefined,
    readonly healthy: boolean,
    problem: string | undefined,
    brokenAt: string | undefined,
  ) {
    if (problem) {
      this.problem = problem;
      this.brokenAt = brokenAt!;
    }
  }
  get links(): Manifest[] {
    const out: Manifest[] = [];
    for (let c: Chain | undefined = this; c; c = c.below) out.push(c.manifest);
    return out.reverse();
  }
}

// How many incrementals a chain holds after its full (for full_every = N).
export const incrementalsIn = (c: ChainInfo): number => c.links.length - 1;

// The full stream a chain starts from.
export const fullOf = (c: ChainInfo): Manifest | undefined => (c.links[0]?.kind === 'full' ? c.links[0] : undefined);

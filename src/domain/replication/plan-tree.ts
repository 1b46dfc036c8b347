import { parentOf } from '../dataset-name.js';
import type { Endpoint } from '../endpoint.js';
import type { DatasetState, HostState } from '../host-state.js';
import { destNameFor } from './dest-name.js';
import { exclusionOf } from './exclude.js';
import { type PairOptions, type ResumeInfo, planPair } from './plan-pair.js';
import type { Holdings, PairPlan, SnapRef, Step } from './types.js';

// What the destination's listing (`zfs get -r` under its root) cannot say, looked up apart:
// which ancestors of a missing root exist, and the properties of its snapshot-less datasets.
export interface DestFacts {
  readonly ancestors: ReadonlySet<string>; // the existing ones, when the root is missing
  readonly props: ReadonlyMap<string, Readonly<Record<string, string>>>; // used, referenced, mounted, mountpoint
}

export interface TreeInput {
  readonly source: {
    readonly endpoint: Endpoint;
    readonly root: string;
    readonly state: HostState;
    readonly bookmarks?: ReadonlyMap<string, readonly SnapRef[]>; // OpenZFS: by dataset, named without "#"
  };
  readonly dest: { readonly endpoint: Endpoint; readonly root: string; readonly state: HostState; readonly facts: DestFacts };
  readonly excludes: readonly string[];
  readonly autoCreate: boolean;
  readonly resume: ReadonlyMap<string, ResumeInfo>; // destination dataset → its partial receive
  readonly options: PairOptions;
}

// A whole source tree to one destination: commands before any transfer, then one plan per
// source dataset, parents first (a child's full receive needs its parent on the destination).
export interface TreePlan {
  readonly problem?: string; // the destination cannot be used at all (nothing planned)
  readonly prelude: readonly Step[];
  readonly pairs: readonly PairPlan[];
}

export function planTree(t: TreeInput): TreePlan {
  const { source, dest } = t;
  if (!source.state.datasets.has(source.root)) return { problem: `source ${source.root} does not exist`, prelude: [], pairs: [] };
  const prelude: Step[] = [];
  if (!dest.state.datasets.has(dest.root)) {
    // The first full receive creates the root itself; only its missing parents need creating.
    const pool = dest.root.split('/')[0]!;
    const parent = parentOf(dest.root);
    if (parent === undefined || !dest.facts.ancestors.has(pool)) {
      return {
        problem: `destination pool ${pool} does not exist; correct the destination, or import or create the pool`,
        prelude,
        pairs: [],
      };
    }
    if (!dest.facts.ancestors.has(parent)) {
      if (!t.autoCreate) {
        return {
          problem: `destination ${dest.root} does not exist and neither does its parent ${parent}; create the parent (zfs create -p ${parent}) or set dest_auto_create = yes (--dest-auto-create)`,
          prelude,
          pairs: [],
        };
      }
      prelude.push({ kind: 'create-parent', dataset: parent });
    }
  }
  const pairs: PairPlan[] = [];
  const willExist = new Set(dest.state.datasets.keys());
  for (const name of source.state.datasets.keys()) {
    if (name !== source.root && !name.startsWith(`${source.root}/`)) continue;
    const destName = destNameFor(name, source.root, dest.root);
    const ex = exclusionOf(name, source.root, t.excludes);
    if (ex) {
      pairs.push({ source: name, dest: destName, outcome: 'skip', steps: [], skip: { kind: 'excluded', ...ex }, notes: [] });
      continue;
    }
    const destParent = parentOf(destName);
    // The root's parent was checked (or is created) above; a child needs its parent received.
    if (name !== source.root && destParent !== undefined && !willExist.has(destParent)) {
      pairs.push({
        source: name,
        dest: destName,
        outcome: 'skip',
        steps: [],
        skip: { kind: 'parent-not-sent', parent: destParent },
        notes: [],
      });
      continue;
    }
    const plan = planOne(t, name, destName);
    if (plan.steps.some((s) => s.kind === 'full' || s.kind === 'resume')) willExist.add(destName);
    pairs.push(plan);
  }
  return { prelude, pairs };
}

// One pair from the listed states (also used to re-plan a pair before a retry, where
// `createdThisRun` says the run's first listing did not have the destination).
export function planOne(
  t: Pick<TreeInput, 'source' | 'dest' | 'resume' | 'options'>,
  sourceName: string,
  destName: string,
  createdThisRun = false,
): PairPlan {
  const ds = t.source.state.datasets.get(sourceName);
  const d = t.dest.state.datasets.get(destName);
  const resume = t.resume.get(destName);
  return planPair({
    source: {
      endpoint: t.source.endpoint,
      dataset: sourceName,
      snapshots: ds ? refs(ds) : [],
      ...(t.source.bookmarks?.has(sourceName) ? { bookmarks: t.source.bookmarks.get(sourceName)! } : {}),
    },
    dest: {
      endpoint: t.dest.endpoint,
      dataset: destName,
      exists: d !== undefined,
      createdThisRun,
      snapshots: d ? refs(d) : [],
      ...(d && d.snapshots.length === 0 ? { holds: holdingsOf(destName, t.dest.state, t.dest.facts.props.get(destName)) } : {}),
      ...(resume ? { resume } : {}),
    },
    options: t.options,
  });
}

const refs = (ds: DatasetState): SnapRef[] =>
  ds.snapshots.map((s) => ({ name: s.name, guid: s.guid, createtxg: s.createtxg, userrefs: s.userrefs }));

function holdingsOf(name: string, state: HostState, props: Readonly<Record<string, string>> | undefined): Holdings {
  const num = (v: string | undefined): number | undefined => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  const children = [...state.datasets.keys()].filter((n) => n.startsWith(`${name}/`)).length;
  const mounted = props?.mounted === 'yes' ? props.mountpoint : props?.mounted === 'no' ? '' : undefined;
  const referenced = num(props?.referenced);
  const used = num(props?.used);
  return {
    children,
    ...(referenced !== undefined ? { referenced } : {}),
    ...(used !== undefined ? { used } : {}),
    ...(mounted !== undefined ? { mounted } : {}),
  };
}

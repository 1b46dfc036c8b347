import type { Endpoint } from '../endpoint.js';
import type { ZfsSingle } from '../zfs-command.js';

// A snapshot as the replication planner needs it: identity is name AND guid.
export interface SnapRef {
  readonly name: string;
  readonly guid: string;
  readonly createtxg: number;
  readonly userrefs: number;
}

// One zfs command on one side, as data (the conflict report's: printed, for the user to run).
export interface Command {
  readonly endpoint: Endpoint;
  readonly zfs: ZfsSingle;
}

// What a destination dataset without snapshots holds, for the conflict report (bytes).
export interface Holdings {
  readonly referenced?: number;
  readonly used?: number; // its children included
  readonly children: number; // datasets below it
  readonly mounted?: string; // its mountpoint when mounted; '' when not mounted; unset: unknown
}

// What one dataset pair needs, in order. Transfers become pipelines; the others single commands.
export type Step =
  | { readonly kind: 'abort-resume'; readonly why: string } // zfs receive -A DEST
  | { readonly kind: 'resume'; readonly token: string; readonly to: string } // zfs send -t TOKEN | … receive -s
  | { readonly kind: 'create-parent'; readonly dataset: string } // zfs create -p: the destination's missing parents (dest_auto_create)
  | { readonly kind: 'destroy-dest'; readonly snapshots: readonly string[] } // --force on "no common snapshot"
  | { readonly kind: 'full'; readonly snapshot: string; readonly force: boolean } // force: receive -F over an existing dataset
  | { readonly kind: 'incremental'; readonly from: string; readonly to: string; readonly flag: '-I' | '-i'; readonly bookmark?: boolean }; // bookmark: `from` is SRC#from (always -i)

export type Transfer = Extract<Step, { kind: 'full' | 'incremental' | 'resume' }>;
export const isTransfer = (s: Step): s is Transfer => s.kind === 'full' || s.kind === 'incremental' || s.kind === 'resume';

// Why a dataset is not sent (none of these is a failure).
export type SkipReason =
  | { readonly kind: 'excluded'; readonly pattern: string; readonly matched: string }
  | { readonly kind: 'no-snapshots' }
  | { readonly kind: 'nothing-selected' } // send_types = kept left nothing to send
  | { readonly kind: 'parent-not-sent'; readonly parent: string }; // the destination parent is missing and not sent this run

// The plan for one source dataset and its destination dataset.
export interface PairPlan {
  readonly source: string;
  readonly dest: string;
  readonly outcome: 'send' | 'up-to-date' | 'conflict' | 'skip';
  readonly steps: readonly Step[];
  readonly base?: string; // the common snapshot before this run (name+guid on both sides)
  readonly newBase?: string; // the common snapshot after the steps (to hold on both sides)
  readonly baseBookmark?: string; // the source has only a bookmark of the base: the chain starts from SRC#baseBookmark
  readonly conflict?: Conflict;
  readonly skip?: SkipReason;
  readonly notes: readonly string[];
}

// A destination that cannot be updated without destroying something on it. Never resolved
// silently: the report lists both sides and the exact commands that would resolve it, and
// only --force (or `force = yes`) lets holdfast run the destructive part itself.
export type Conflict =
  | {
      readonly kind: 'dest-ahead';
      readonly sides: Sides;
      readonly base: string;
      readonly destOnly: readonly SnapRef[];
      readonly resolve: readonly Command[];
    }
  | {
      readonly kind: 'no-common';
      readonly sides: Sides;
      readonly guidMismatches: readonly string[];
      readonly resolve: readonly Command[];
      readonly keepCopy: readonly Command[];
    }
  | {
      readonly kind: 'dest-exists';
      readonly sides: Sides;
      readonly holds: Holdings;
      readonly resolve: readonly Command[];
      readonly keepCopy: readonly Command[];
    }
  | { readonly kind: 'foreign-resume'; readonly sides: Sides; readonly tokenFor?: string; readonly resolve: readonly Command[] };

export interface Sides {
  readonly source: { readonly endpoint: Endpoint; readonly dataset: string; readonly snapshots: readonly SnapRef[] };
  readonly dest: { readonly endpoint: Endpoint; readonly dataset: string; readonly snapshots: readonly SnapRef[] };
}

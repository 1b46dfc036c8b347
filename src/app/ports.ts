import type { StreamFlag } from '../domain/zfs-command.js';
import type { Endpoint } from '../domain/endpoint.js';
import type { HostState } from '../domain/host-state.js';
import type { CleanCapabilities, DestroyBatch } from '../domain/snap/clean.js';
import type { SnapshotBatch, TakeCapabilities } from '../domain/snap/take.js';
import type { ZfsCommand, ZfsHoldCommand, ZfsSingle } from '../domain/zfs-command.js';
import type { LogEvent } from './log/events.js';
import type { Level } from './log/render.js';

export type { Level, LogEvent };

// What a use case reports: typed events (app/log/events.ts), never a string; the domain never
// logs, it returns reasons.
export interface Logger {
  event(e: LogEvent): void;
}

// Where rendered events go (infra/logger.ts): one text line, or one JSON line with the event's
// fields and the text as `msg`.
export interface LogSink {
  write(level: Level, msg: string, fields: LogEvent): void;
}

// What a run is doing, for the one line an interruption (SIGTERM, SIGINT, SIGHUP) logs: `what`
// was stopped, and what the `next` run does about it ("nothing was half-applied: …").
export interface Doing {
  readonly what: string;
  readonly next?: string;
}

// Runs `work` as the run's current activity (cli/interrupt.ts keeps the stack).
export type During = <T>(doing: Doing, work: () => Promise<T>) => Promise<T>;

// The one place time comes from (infra/clock.ts); faketime moves it end to end.
export interface Clock {
  nowMs(): number;
}

// What a snapshot store can batch; the planners shape their calls to it.
export interface StoreCapabilities extends TakeCapabilities, CleanCapabilities {
  readonly flavor: string; // openzfs, zfs-fuse, other, btrfs
  readonly version: string | undefined;
}

// What a host's zfs can do, probed once per host per run.
export interface ZfsCapabilities extends StoreCapabilities {
  readonly flavor: 'openzfs' | 'zfs-fuse' | 'other';
  readonly version: string | undefined;
  readonly multiSnapshot: boolean; // zfs snapshot a@x b@x
  readonly commaDestroy: boolean; // zfs destroy fs@a,b
  readonly holdsList: boolean; // zfs holds
  readonly written: boolean; // the written property
  readonly resume: boolean; // receive -s, receive_resume_token, send -t
  readonly sendEstimate: boolean; // send -nvP
  readonly rawSend: boolean; // send -w
  readonly bookmarks: boolean;
  readonly streamFlags?: readonly StreamFlag[]; // zfs send -L -e -c and their receive (OpenZFS ≥ 0.7)
}

// Outcome of one zfs call that covered several datasets: who failed and why.
export interface BatchOutcome {
  readonly ok: readonly string[]; // datasets (or dataset@snap) done
  readonly failed: readonly { readonly target: string; readonly error: Error }[];
}

// The operations the snap cycle needs from one host's snapshot store (zfs or btrfs).
export interface SnapshotHost {
  readonly endpoint: Endpoint;
  capabilities(): Promise<StoreCapabilities>;
  listState(roots: readonly string[], extraProps?: readonly string[]): Promise<HostState>;
  snapshot(batch: SnapshotBatch): Promise<BatchOutcome>;
  destroy(batch: DestroyBatch): Promise<BatchOutcome>;
  holdTags(snapshots: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
  // Bookmarks under roots by dataset (OpenZFS; zfs-fuse and btrfs have none: absent or empty).
  bookmarks?(roots: readonly string[]): Promise<ReadonlyMap<string, readonly { name: string; guid: string }[]>>;
  // The argv a batch runs, for --dry-run output.
  argvFor(batch: SnapshotBatch | DestroyBatch): readonly string[];
}

// Single zfs commands on one host, as data (domain/zfs-command.ts). print(c) is exactly the
// command line run(c) starts (adapters/zfs/commands.ts builds both), ssh included.
export interface ZfsCommandHost {
  print(c: ZfsCommand): string;
  // A failed command throws its typed error; one already in effect (a mounted dataset) is done.
  run(c: ZfsSingle): Promise<void>;
  // Best effort: false when zfs refused it.
  tryRun(c: ZfsSingle): Promise<boolean>;
  // A tag on (or off) many snapshots in one call; "already so" counts as done, and a failed
  // call is retried one by one to find which snapshot failed and why.
  batch(c: ZfsHoldCommand): Promise<BatchOutcome>;
}

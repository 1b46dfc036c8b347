import type { Endpoint } from '../domain/endpoint.js';
import type { Protections } from '../domain/snap/clean.js';
import type { TreeKind } from '../config/sections/tree.js';
import type { Clock, During, Logger, SnapshotHost } from './ports.js';
import type { HookPort } from './hooks/ports.js';

// Everything a use case may touch, passed explicitly (no globals). Built by cli/compose/index.ts.
export interface AppContext {
  readonly log: Logger;
  readonly clock: Clock;
  readonly dryRun: boolean;
  // The snapshot store of a host: zfs datasets, or btrfs subvolumes (same planners, same port).
  readonly snapshots: (kind: TreeKind, endpoint: Endpoint) => SnapshotHost;
  // Snapshots that other parties still need on a host (e.g. replication bases); holds
  // already protect bases, this is the belt to their braces.
  readonly protections?: (kind: TreeKind, endpoint: Endpoint) => Promise<Protections>;
  // How a command on a host reads when printed (copy-pasteable, ssh included).
  readonly printable: (endpoint: Endpoint, argv: readonly string[]) => string;
  // Names what the run does inside `work`, for the line an interruption logs (none: not recorded).
  readonly during?: During;
  // Runs the policy file's consistency hooks (pre/post snapshot and send commands).
  readonly hooks?: HookPort;
}

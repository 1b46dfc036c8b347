import type { SnapshotHost } from '../../app/ports.js';
import { type Endpoint, endpointKey } from '../../domain/endpoint.js';
import { type Printable, printable } from '../exec/printable.js';
import type { CommandRunner } from '../exec/runner.js';
import { ZfsHost } from './host.js';
import { ReplicationZfs } from './replication.js';

// Every host's zfs in one run, each made on first use and then the same one, so its capability
// probe runs once whoever asks (snap, send, its clean, the stores, doctor). The composition root
// hands these lookups to the app's ports as they are: a run finds its hosts here, not in cli/.
export class ZfsHosts {
  private readonly hosts = new Map<string, ZfsHost>();
  private readonly commands = new Map<string, ReplicationZfs>();
  private readonly others = new Map<string, SnapshotHost>(); // btrfs

  constructor(
    private readonly runner: CommandRunner,
    private readonly print: Printable = printable,
    // A btrfs host, made by the root (whose runs load the btrfs adapters only when they need them).
    private readonly btrfs: (e: Endpoint) => SnapshotHost = () => {
      throw new Error('internal: no btrfs hosts in this run');
    },
  ) {}

  // The snap cycle's (and send's listings and holds) zfs on a host.
  readonly host = (e: Endpoint): ZfsHost => once(this.hosts, endpointKey(e), () => new ZfsHost(e, this.runner));

  // Single zfs commands on a host: printed as they run.
  readonly replication = (e: Endpoint): ReplicationZfs =>
    once(this.commands, endpointKey(e), () => new ReplicationZfs(e, this.runner, this.print));

  // ctx.snapshots: a host's snapshot store, zfs or btrfs.
  readonly snapshots = (kind: 'zfs' | 'btrfs', e: Endpoint): SnapshotHost =>
    kind === 'zfs' ? this.host(e) : once(this.others, endpointKey(e), () => this.btrfs(e));
}

function once<T>(made: Map<string, T>, key: string, make: () => T): T {
  let v = made.get(key);
  if (v === undefined) made.set(key, (v = make()));
  return v;
}

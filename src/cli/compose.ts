import { existsSync } from 'node:fs';
import { CommandRunner } from '../adapters/exec/runner.js';
import { shellJoin } from '../adapters/exec/shell-quote.js';
import { SshConnections, type SshSettings } from '../adapters/exec/ssh.js';
import { ZfsHost } from '../adapters/zfs/zfs-host.js';
import { BtrfsBackupStore } from '../adapters/btrfs/backup-store.js';
import { BtrfsCli } from '../adapters/btrfs/btrfs-cli.js';
import { BtrfsHost } from '../adapters/btrfs/btrfs-host.js';
import { BtrfsReplica } from '../adapters/btrfs/btrfs-replica.js';
import { RsyncSyncer } from '../adapters/btrfs/rsync.js';
import type { BackupDeps } from '../app/backup-ports.js';
import type { BtrfsSendDeps } from '../app/btrfs-send-ports.js';
import { type BtrfsLayout, btrfsLayout } from '../app/btrfs-layout.js';
import { loadPolicyFile } from '../config/load.js';
import type { PolicyFile } from '../config/policy-file.js';
import type { AppContext } from '../app/context.js';
import type { Logger, SnapshotHost } from '../app/ports.js';
import { type Endpoint, LOCAL, endpointKey } from '../domain/endpoint.js';
import { systemClock } from '../infra/clock.js';
import { type Level, createLogger } from '../infra/logger.js';

export interface GlobalOptions {
  readonly config: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly logJson: boolean;
  readonly lockDir: string;
}

// A built context plus what must be closed at the end of the run.
export interface Composed {
  readonly ctx: AppContext;
  readonly runner: CommandRunner;
  readonly ssh: SshConnections;
  close(): void;
}

// The composition root: the only module that wires adapters and infra into the app.
// `policy` gives btrfs hosts their snapshot directories (read lazily, only when btrfs is used).
export async function compose(g: GlobalOptions, ssh: SshSettings = {}, policy: () => Promise<PolicyFile> = () => loadPolicyFile(g.config)): Promise<Composed> {
  const log: Logger = await createLogger({ level: (g.verbose ? 'debug' : 'info') as Level, json: g.logJson, now: systemClock.nowMs });
  const connections = new SshConnections(ssh);
  const runner = new CommandRunner(connections, log, g.dryRun);
  const hosts = new Map<string, SnapshotHost>();
  let layout: Promise<BtrfsLayout> | undefined;
  const snapshotDirOf = async (subvolume: string): Promise<string> => (await (layout ??= policy().then(btrfsLayout))).snapshotDirOf(subvolume);
  const ctx: AppContext = {
    log,
    clock: systemClock,
    dryRun: g.dryRun,
    snapshots: (kind, e: Endpoint) => {
      const k = `${kind}:${endpointKey(e)}`;
      let h = hosts.get(k);
      if (!h) hosts.set(k, (h = kind === 'btrfs' ? new BtrfsHost(e, runner, snapshotDirOf, log) : new ZfsHost(e, runner)));
      return h;
    },
    printable: (e, argv) => printable(e, argv),
  };
  return { ctx, runner, ssh: connections, close: () => connections.close() };
}

// The backup use cases' dependencies: btrfs for the backups directory (always local) and rsync.
export function backupDeps(c: Composed): BackupDeps {
  const store = new BtrfsBackupStore(new BtrfsCli(LOCAL, c.runner));
  return { log: c.ctx.log, clock: c.ctx.clock, dryRun: c.ctx.dryRun, store, syncer: new RsyncSyncer(), printable: (argv) => shellJoin(argv) };
}

// btrfs replication's dependencies: btrfs on both ends, the shared pipeline runner over this
// run's ssh connections, and the source snapshot directories from the policy file.
export function btrfsSendDeps(c: Composed, file: PolicyFile): BtrfsSendDeps {
  const replica = new BtrfsReplica(c.runner, c.ssh, existsSync('/usr/bin/setpriv'));
  return { log: c.ctx.log, clock: c.ctx.clock, dryRun: c.ctx.dryRun, replica, snapshotDirOf: btrfsLayout(file).snapshotDirOf, printable };
}

// A command as a user would type it: plain argv locally, `ssh [-p N] user@host '…'` remotely.
export function printable(e: Endpoint, argv: readonly string[]): string {
  if (e.kind === 'local') return shellJoin(argv);
  const dest = e.user ? `${e.user}@${e.host}` : e.host;
  return shellJoin(['ssh', ...(e.port !== undefined ? ['-p', String(e.port)] : []), dest, shellJoin(argv)]);
}

import { existsSync } from 'node:fs';
import { BtrfsBackupStore } from '../../adapters/btrfs/backup-store.js';
import { BtrfsCli } from '../../adapters/btrfs/cli.js';
import { BtrfsReplica } from '../../adapters/btrfs/replica.js';
import { RsyncSyncer } from '../../adapters/btrfs/rsync.js';
import { printable } from '../../adapters/exec/printable.js';
import { shellJoin } from '../../adapters/exec/shell-quote.js';
import type { BackupDeps } from '../../app/backup/ports.js';
import type { BtrfsSendDeps } from '../../app/btrfs/ports.js';
import { btrfsLayout } from '../../app/btrfs/layout.js';
import type { PolicyFile } from '../../config/policy-file.js';
import { LOCAL } from '../../domain/endpoint.js';
import type { Composed } from './index.js';

// The wiring of the btrfs commands (backup, prune, decay, list, setup-backup, btrfs-send) on top
// of a composed run; apart from index.ts so zfs runs never load the btrfs adapters.

// The backup use cases' dependencies: btrfs for the backups directory (always local) and rsync.
export function backupDeps(c: Composed): BackupDeps {
  const store = new BtrfsBackupStore(new BtrfsCli(LOCAL, c.runner));
  return {
    log: c.ctx.log,
    clock: c.ctx.clock,
    dryRun: c.ctx.dryRun,
    store,
    syncer: new RsyncSyncer(c.stop),
    printable: (argv) => shellJoin(argv),
    ...(c.ctx.during ? { during: c.ctx.during } : {}),
  };
}

// btrfs replication's dependencies: btrfs on both ends, the shared pipeline runner over this
// run's ssh connections, and the source snapshot directories from the policy file.
export function btrfsSendDeps(c: Composed, file: PolicyFile): BtrfsSendDeps {
  const replica = new BtrfsReplica(c.runner, c.ssh, existsSync('/usr/bin/setpriv'));
  return { log: c.ctx.log, clock: c.ctx.clock, dryRun: c.ctx.dryRun, replica, snapshotDirOf: btrfsLayout(file).snapshotDirOf, printable };
}

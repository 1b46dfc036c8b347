import { posix } from 'node:path';
import type { BackupDeps } from './ports.js';
import type { BackupJob } from './job.js';
import { ensureWorkdir } from './run.js';
import { listBackups } from './retention.js';
import { messageOf } from '../failures.js';

export interface SetupReport {
  readonly job: string;
  readonly ok: boolean;
  readonly said: readonly string[];
  readonly commands: readonly string[];
}

// `holdfast setup-backup NAME`: the backups directory as a btrfs subvolume (its parents as
// plain directories) and the working subvolume in it. Whatever exists is left as it is.
export async function runSetupBackup(deps: BackupDeps, job: BackupJob): Promise<SetupReport> {
  const said: string[] = [];
  const commands: string[] = [];
  const would = deps.dryRun ? 'would create' : 'created';
  try {
    const fs = await deps.store.fsTypeOf(job.backups);
    if (fs !== 'btrfs')
      throw new Error(
        `${job.backups} is on ${fs ?? 'an unknown filesystem'}, not btrfs; mount a btrfs filesystem there or choose another directory`,
      );
    const kind = await deps.store.kindOf(job.backups);
    if (kind === 'other') throw new Error(`${job.backups} exists and is not a directory`);
    if (kind === 'missing') {
      const parent = posix.dirname(job.backups);
      if ((await deps.store.kindOf(parent)) === 'missing') {
        commands.push(deps.printable(deps.store.argv.mkdirp(parent)));
        if (!deps.dryRun) await deps.store.mkdirp(parent);
        said.push(`${would} ${parent}`);
      }
      commands.push(deps.printable(deps.store.argv.create(job.backups)));
      if (!deps.dryRun) await deps.store.createSubvolume(job.backups);
      said.push(`${would} ${job.backups} (a btrfs subvolume)`);
    } else {
      said.push(`${job.backups} exists (${kind === 'subvolume' ? 'a subvolume' : 'a directory'} on btrfs); left as it is`);
    }
    const listing = kind === 'missing' ? { entries: [], others: [] } : await listBackups(deps, job);
    const how = await ensureWorkdir(deps, job, listing, commands);
    said.push(how ? `${would} ${job.workdir} (${how})` : `${job.workdir} exists; left as it is`);
    return { job: job.name, ok: true, said, commands };
  } catch (e) {
    deps.log.event({ kind: 'failed', stage: 'setup-backup', target: job.name, message: messageOf(e) });
    return { job: job.name, ok: false, said, commands };
  }
}

import type { PolicyFile } from '../../config/policy-file.js';
import type { BackupJob } from '../../config/sections/backup.js';
import { UsageError } from '../../domain/errors.js';

export type { BackupJob };

// A backup the command line names that the file cannot run: exit 2, nothing done.
export class BackupConfigError extends UsageError {
  override name = 'BackupConfigError';
}

// The jobs `names` asks for (all [backup:…] sections when empty), or one error naming every
// problem (unknown names, missing source or backups) with file:line.
export function resolveJobs(file: PolicyFile, names: readonly string[]): BackupJob[] {
  const sections = new Map(file.backups.map((b) => [b.name, b] as const));
  if (names.length === 0 && sections.size === 0)
    throw new BackupConfigError(`${file.path} has no [backup:NAME] section; add one (see docs/btrfs.md)`);
  const wanted = names.length === 0 ? [...sections.keys()] : [...new Set(names)];
  const problems: string[] = [];
  const jobs: BackupJob[] = [];
  for (const name of wanted) {
    const b = sections.get(name);
    if (!b) {
      problems.push(
        `no [backup:${name}] section in ${file.path}${sections.size ? ` (there are: ${[...sections.keys()].join(', ')})` : ''}`,
      );
      continue;
    }
    if ('job' in b) jobs.push(b.job);
    else problems.push(...b.problems);
  }
  if (problems.length > 0) throw new BackupConfigError(problems.join('\n'));
  return jobs;
}

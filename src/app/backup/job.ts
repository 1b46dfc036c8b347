import { posix } from 'node:path';
import { PolicyResolver } from '../../config/resolve.js';
import type { PolicyFile, SectionConfig } from '../../config/policy-file.js';
import type { RetentionPeriod } from '../../domain/backup/duration.js';
import type { BackupRetention } from '../../domain/backup/retention-plan.js';
import type { BackupSource } from '../../domain/backup/source.js';
import { UsageError } from '../../domain/errors.js';

// snapshotbackup's defaults; decay has none (nothing decays unless asked).
export const DEFAULT_RETAIN_ALL: RetentionPeriod = { text: '1 day', units: { days: 1 } };
export const DEFAULT_RETAIN_DAILY: RetentionPeriod = { text: '1 month', units: { months: 1 } };
// The working subvolume rsync writes into (snapshotbackup's name, so its directories carry over).
export const WORKDIR = '.sync';

// One [backup:NAME] section, resolved: everything a backup, list, prune or decay needs.
export interface BackupJob {
  readonly name: string;
  readonly section: string;
  readonly line: number;
  readonly source: BackupSource;
  readonly backups: string;
  readonly workdir: string;
  readonly excludes: readonly string[];
  readonly retention: BackupRetention;
  readonly autoprune: boolean;
  readonly autodecay: boolean;
  readonly checksum: boolean;
  readonly rsyncOptions: readonly string[];
  readonly sshOptions: readonly string[];
  readonly identity?: string;
}

// A backup the command line names that the file cannot run: exit 2, nothing done.
export class BackupConfigError extends UsageError {
  override name = 'BackupConfigError';
}

// The jobs `names` asks for (all [backup:…] sections when empty), or one error naming every
// problem (unknown names, missing source or backups) with file:line.
export function resolveJobs(file: PolicyFile, names: readonly string[]): BackupJob[] {
  const sections = new Map(file.sections.flatMap((s) => (s.location?.kind === 'backup' ? [[s.location.name, s] as const] : [])));
  if (names.length === 0 && sections.size === 0)
    throw new BackupConfigError(`${file.path} has no [backup:NAME] section; add one (see docs/btrfs.md)`);
  const wanted = names.length === 0 ? [...sections.keys()] : [...new Set(names)];
  const problems: string[] = [];
  const jobs: BackupJob[] = [];
  const resolver = new PolicyResolver(file);
  for (const name of wanted) {
    const s = sections.get(name);
    if (!s) {
      problems.push(
        `no [backup:${name}] section in ${file.path}${sections.size ? ` (there are: ${[...sections.keys()].join(', ')})` : ''}`,
      );
      continue;
    }
    const job = resolveJob(resolver, file, s, name, problems);
    if (job) jobs.push(job);
  }
  if (problems.length > 0) throw new BackupConfigError(problems.join('\n'));
  return jobs;
}

function resolveJob(r: PolicyResolver, file: PolicyFile, s: SectionConfig, name: string, problems: string[]): BackupJob | undefined {
  const get = <T>(key: string): T | undefined => r.value<T>(s, key)?.value;
  const source = get<BackupSource>('source');
  const backups = get<string>('backups');
  const at = `${file.path}:${s.line}: [${s.name}]`;
  if (!source) problems.push(`${at}: source is not set; e.g. source = /home or source = root@host:/home`);
  if (!backups) problems.push(`${at}: backups is not set; e.g. backups = /mnt/backup/home (a directory on btrfs)`);
  if (!source || !backups) return undefined;
  if (source.kind === 'local' && (backups === source.path || backups.startsWith(`${source.path}/`))) {
    problems.push(`${at}: backups (${backups}) lies inside the source (${source.path}); every backup would copy the older ones`);
    return undefined;
  }
  const identity = get<string>('key');
  return {
    name,
    section: s.name,
    line: s.line,
    source,
    backups,
    workdir: posix.join(backups, WORKDIR),
    excludes: get<string[]>('ignore') ?? [],
    retention: {
      retainAll: get<RetentionPeriod>('retain_all') ?? DEFAULT_RETAIN_ALL,
      retainDaily: get<RetentionPeriod>('retain_daily') ?? DEFAULT_RETAIN_DAILY,
      decay: get<RetentionPeriod>('decay'),
      zone: get<string>('timezone') ?? 'local',
    },
    autoprune: get<boolean>('autoprune') ?? false,
    autodecay: get<boolean>('autodecay') ?? false,
    checksum: get<boolean>('checksum') ?? false,
    rsyncOptions: get<string[]>('rsync_options') ?? [],
    // ssh_options and ssh_cipher (send's keys, "for every ssh connection") apply to rsync's ssh too.
    sshOptions: [...(get<string[]>('ssh_options') ?? []), ...(get<string>('ssh_cipher') ? [`Ciphers=${get<string>('ssh_cipher')}`] : [])],
    ...(identity ? { identity } : {}),
  };
}

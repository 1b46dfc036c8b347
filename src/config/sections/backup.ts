import { posix } from 'node:path';
import type { RetentionPeriod } from '../../domain/backup/duration.js';
import type { BackupRetention } from '../../domain/backup/retention-plan.js';
import type { BackupSource } from '../../domain/backup/source.js';
import type { ParsedSection } from '../parsed.js';
import type { PolicyResolver } from '../resolve.js';

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

// A [backup:NAME] section: its job, or why it cannot run (file:line, what to write).
export type BackupSection = { readonly name: string } & ({ readonly job: BackupJob } | { readonly problems: readonly string[] });

export function backupSections(r: PolicyResolver): BackupSection[] {
  return r.file.sections.flatMap((s) => (s.location?.kind === 'backup' ? [backupSection(r, s, s.location.name)] : []));
}

function backupSection(r: PolicyResolver, s: ParsedSection, name: string): BackupSection {
  const source = r.value(s, 'source')?.value;
  const backups = r.value(s, 'backups')?.value;
  const at = `${r.file.path}:${s.line}: [${s.name}]`;
  const problems = [
    ...(source ? [] : [`${at}: source is not set; e.g. source = /home or source = root@host:/home`]),
    ...(backups ? [] : [`${at}: backups is not set; e.g. backups = /mnt/backup/home (a directory on btrfs)`]),
  ];
  if (!source || !backups) return { name, problems };
  if (source.kind === 'local' && (backups === source.path || backups.startsWith(`${source.path}/`)))
    return {
      name,
      problems: [`${at}: backups (${backups}) lies inside the source (${source.path}); every backup would copy the older ones`],
    };
  const identity = r.value(s, 'key')?.value;
  const cipher = r.value(s, 'ssh_cipher')?.value;
  return {
    name,
    job: {
      name,
      section: s.name,
      line: s.line,
      source,
      backups,
      workdir: posix.join(backups, WORKDIR),
      excludes: r.value(s, 'ignore')?.value ?? [],
      retention: {
        retainAll: r.value(s, 'retain_all')?.value ?? DEFAULT_RETAIN_ALL,
        retainDaily: r.value(s, 'retain_daily')?.value ?? DEFAULT_RETAIN_DAILY,
        decay: r.value(s, 'decay')?.value,
        zone: r.value(s, 'timezone')?.value ?? 'local',
      },
      autoprune: r.value(s, 'autoprune')?.value ?? false,
      autodecay: r.value(s, 'autodecay')?.value ?? false,
      checksum: r.value(s, 'checksum')?.value ?? false,
      rsyncOptions: r.value(s, 'rsync_options')?.value ?? [],
      // ssh_options and ssh_cipher (send's keys, "for every ssh connection") apply to rsync's ssh too.
      sshOptions: [...(r.value(s, 'ssh_options')?.value ?? []), ...(cipher ? [`Ciphers=${cipher}`] : [])],
      ...(identity ? { identity } : {}),
    },
  };
}

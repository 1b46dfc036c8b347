import { type RetentionPeriod, parsePeriod } from '../../domain/backup/duration.js';
import { parseBackupSource } from '../../domain/backup/source.js';
import { type ParseResult, commentHint, key, splitList } from './spec.js';

// A yes/no of a backup job. snapshotbackup read '1', 'true' and 'True' as yes; holdfast takes
// those, yes/no and 0/false too, and rejects anything else (these are holdfast's own keys).
function parseSwitch(raw: string): ParseResult<boolean> {
  const v = raw
    .trim()
    .replace(/^(['"])(.*)\1$/, '$2')
    .toLowerCase();
  if (['yes', 'true', '1', 'on'].includes(v)) return { value: true };
  if (['no', 'false', '0', 'off'].includes(v)) return { value: false };
  return { error: `"${raw}" is not yes or no${commentHint(raw)}` };
}

function parsePeriodKey(raw: string): ParseResult<RetentionPeriod> {
  const r = parsePeriod(raw);
  return 'error' in r ? { error: `${r.error}${commentHint(raw)}` } : r;
}

function parseAbsolutePath(raw: string): ParseResult<string> {
  const v = raw.trim();
  if (!v.startsWith('/') || v.includes('\0') || v.includes('\n')) return { error: `"${raw}" is not an absolute path` };
  return { value: v.replace(/\/+$/, '') || '/' };
}

// Relative to the subvolume (the default ".snapshots"), or absolute; never "..".
function parseSnapshotDir(raw: string): ParseResult<string> {
  const v = raw.trim().replace(/\/+$/, '');
  if (v === '' || v.includes('\0') || v.includes('\n')) return { error: `"${raw}" is not a directory path` };
  if (v.split('/').some((c) => c === '..'))
    return { error: `"${raw}": ".." is not allowed; write a path inside the subvolume or an absolute one` };
  return { value: v };
}

// Extra rsync options, space-separated. Options that would break a backup are refused.
function parseRsyncOptions(raw: string): ParseResult<string[]> {
  const items = raw.trim().split(/\s+/).filter(Boolean);
  for (const o of items) {
    if (!o.startsWith('-')) return { error: `"${o}" is not an rsync option (options start with "-"); use ignore for excludes` };
    if (/^(--remove-source-files|--dry-run|-n|--list-only|--only-write-batch.*|--read-batch.*|-e|--rsh.*)$/.test(o)) {
      return { error: `${o} cannot be used here (holdfast needs a real, complete transfer and sets the ssh command itself)` };
    }
  }
  return { value: items };
}

// Keys of [backup:NAME] sections (snapshotbackup's) and of [btrfs:/PATH] sections.
export const BTRFS_KEYS = [
  key({
    name: 'source',
    scope: 'section',
    describe: 'backup: what to copy: /PATH, USER@HOST:PATH or ssh:PORT:USER@HOST:PATH',
    parse: (raw) => parseBackupSource(raw),
  }),
  key({
    name: 'backups',
    scope: 'section',
    describe: 'backup: the directory on a btrfs filesystem that holds the working copy and the read-only backups',
    parse: parseAbsolutePath,
  }),
  key({
    name: 'ignore',
    scope: 'section',
    describe: 'backup: comma list of rsync exclude patterns, e.g. /.cache, *.tmp',
    parse: (raw) => ({ value: splitList(raw).filter(Boolean) }),
  }),
  key({
    name: 'retain_all',
    scope: 'section',
    describe: 'backup: prune keeps every backup this young (default 1 day)',
    parse: parsePeriodKey,
  }),
  key({
    name: 'retain_daily',
    scope: 'section',
    describe: 'backup: prune keeps the first backup of each day this young (default 1 month)',
    parse: parsePeriodKey,
  }),
  key({
    name: 'decay',
    scope: 'section',
    describe: 'backup: decay deletes backups older than this (default: unset, nothing decays)',
    parse: parsePeriodKey,
  }),
  key({ name: 'autoprune', scope: 'section', describe: 'backup: yes: prune after every successful backup', parse: parseSwitch }),
  key({ name: 'autodecay', scope: 'section', describe: 'backup: yes: decay after every successful backup', parse: parseSwitch }),
  key({
    name: 'checksum',
    scope: 'section',
    describe: 'backup: yes: rsync --checksum (compare contents, not size and time)',
    parse: parseSwitch,
  }),
  key({
    name: 'rsync_options',
    scope: 'section',
    describe: 'backup: extra rsync options, space-separated, e.g. --one-file-system -H -A -X',
    parse: parseRsyncOptions,
  }),
  key({
    name: 'snapshot_dir',
    scope: 'tree',
    describe: "btrfs: where a subvolume's snapshots go: relative to the subvolume (default .snapshots) or absolute",
    parse: parseSnapshotDir,
  }),
];

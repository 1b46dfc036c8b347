import { snapshotNameProblem } from '../../domain/dataset-name.js';
import { SEND_COMPRESSOR_NAMES, isSendCompressor } from '../../domain/replication/compressors.js';
import { SNAP_TYPES } from '../../domain/snap-types.js';
import { zoneProblem } from '../../domain/zone.js';
import { type ParseResult, commentHint, key, parseCount, parseCountList, parseYesNo, parseYesNoList, splitList } from './spec.js';

// Retries beyond these are a typo, not a plan: a day between tries, a hundred tries.
export const MAX_RETRIES = 100;
export const MAX_RETRY_INTERVAL = 86_400;

const COUNT_WORD: Record<string, string> = {
  frequent: 'frequent snapshots (one per cron run, at most one a minute)',
  hourly: 'hourly snapshots',
  daily: 'daily snapshots',
  weekly: 'weekly snapshots (ISO weeks, Monday)',
  monthly: 'monthly snapshots',
  yearly: 'yearly snapshots',
};

const counts = [...SNAP_TYPES].reverse().map((type) =>
  key({
    name: type,
    scope: 'tree',
    pyznap: true,
    describe: `how many ${COUNT_WORD[type]} to keep; > 0 also takes them`,
    parse: parseCount,
  }),
);

function parsePrefix(raw: string): ParseResult<string> {
  const v = raw.trim();
  const problem = snapshotNameProblem(v) ?? (v.includes('@') ? 'contains "@"' : undefined);
  if (problem || v === '') return { error: `"${raw}" cannot start a snapshot name: ${problem ?? 'empty'}${commentHint(raw)}` };
  return { value: v };
}

function parseAdopt(raw: string): ParseResult<string[]> {
  const items = splitList(raw).filter((s) => s !== '');
  for (const p of items) {
    const r = parsePrefix(p);
    if ('error' in r) return r;
  }
  return { value: items };
}

function parseZone(raw: string): ParseResult<string> {
  const v = raw.trim();
  const problem = zoneProblem(v);
  return problem ? { error: `${problem}${commentHint(raw)}` } : { value: v === 'utc' ? 'UTC' : v };
}

// pyznap took any name and sent uncompressed when it did not know it; so does send (with a
// warning at run time), and check says so beforehand. An empty entry is the default.
function parseCompress(raw: string): ParseResult<string[]> {
  const value = splitList(raw);
  const bad = value.find((c) => c !== '' && !isSendCompressor(c));
  if (bad === undefined) return { value };
  const shown = bad.length > 40 ? `${bad.slice(0, 39)}…` : bad;
  return { value, warning: `"${shown}" is not a compressor (${SEND_COMPRESSOR_NAMES.join(', ')}); send will send uncompressed` };
}

function parseText(raw: string): ParseResult<string> {
  return { value: raw.trim() };
}

// pyznap's keys (see pyznap-spec §2.2) plus holdfast's snapshot-naming extensions.
export const CORE_KEYS = [
  ...counts,
  key({ name: 'snap', scope: 'tree', pyznap: true, describe: 'yes: take snapshots of this dataset and its children', parse: parseYesNo }),
  key({ name: 'clean', scope: 'tree', pyznap: true, describe: 'yes: destroy managed snapshots beyond the counts', parse: parseYesNo }),
  key({
    name: 'key',
    scope: 'tree',
    pyznap: true,
    describe: 'ssh identity file for an ssh:… section (optional: the agent and ~/.ssh/config work)',
    parse: parseText,
  }),
  key({
    name: 'dest',
    scope: 'dest',
    pyznap: true,
    describe: 'comma list of destinations: a dataset, ssh:PORT:USER@HOST:DATASET, s3://BUCKET/PREFIX or file:///PATH',
    parse: (raw) => ({ value: splitList(raw).filter((s) => s !== '') }),
  }),
  key({
    name: 'dest_keys',
    scope: 'dest',
    pyznap: true,
    describe: 'ssh identity file per ssh destination',
    parse: (raw) => ({ value: splitList(raw) }),
  }),
  key({
    name: 'compress',
    scope: 'dest',
    pyznap: true,
    describe: 'compressor per ssh destination: none, lzop (default), lz4, zstd, gzip, pigz, bzip2, xz',
    parse: parseCompress,
  }),
  key({
    name: 'exclude',
    scope: 'dest',
    pyznap: true,
    describe: 'per destination: space-separated fnmatch patterns of datasets not to send',
    parse: (raw) => ({ value: splitList(raw).map((g) => g.split(/\s+/).filter(Boolean)) }),
  }),
  key({
    name: 'raw_send',
    scope: 'dest',
    pyznap: true,
    describe: 'per destination yes/no: zfs send -w (encrypted datasets stay encrypted)',
    parse: parseYesNoList,
  }),
  key({
    name: 'resume',
    scope: 'dest',
    pyznap: true,
    describe: 'per destination yes/no: resumable receive (OpenZFS)',
    parse: parseYesNoList,
  }),
  key({
    name: 'dest_auto_create',
    scope: 'dest',
    pyznap: true,
    describe: 'per destination yes/no: create a missing destination with zfs create -p',
    parse: parseYesNoList,
  }),
  key({
    name: 'retries',
    scope: 'dest',
    pyznap: true,
    describe: 'per destination: retries after a transient failure (default 0)',
    parse: parseCountList('a number of retries', MAX_RETRIES),
  }),
  key({
    name: 'retry_interval',
    scope: 'dest',
    pyznap: true,
    describe: 'per destination: seconds between retries (default 10)',
    parse: parseCountList('a number of seconds', MAX_RETRY_INTERVAL),
  }),
  key({
    name: 'prefix',
    scope: 'tree',
    describe: 'snapshot name prefix (default holdfast; pyznap in a file named pyznap.conf)',
    parse: parsePrefix,
  }),
  key({
    name: 'timezone',
    scope: 'tree',
    describe: 'time zone of the time in snapshot names: local (default, as pyznap), UTC or an IANA name',
    parse: parseZone,
  }),
  key({
    name: 'adopt',
    scope: 'tree',
    describe: "other tools' prefixes to manage as our own, e.g. pyznap, autosnap (sanoid)",
    parse: parseAdopt,
  }),
  key({
    name: 'strict',
    scope: 'section',
    describe: 'yes: treat every config warning as an error (set it in [DEFAULT])',
    parse: parseYesNo,
  }),
];

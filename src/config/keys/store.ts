import { snapshotNameProblem } from '../../domain/dataset-name.js';
import { COMPRESS_NAMES, type CompressName, isCompressName } from '../../domain/store/filters.js';
import { parseFullEvery } from '../../domain/store/full-every.js';
import { parseBytes } from '../../domain/units.js';
import { type ParseResult, commentHint, key, parseYesNo } from './spec.js';

// The keys of an s3:// or file:// store's own section ([s3://bucket/prefix], [file:///path]),
// or of [DEFAULT] for every store. An explicit key beats the environment (HOLDFAST_S3_*,
// AWS_*): the config is per destination, the environment is per process. Retention counts and
// `clean` are the ordinary keys, read from the store's section like any target's.

const MiB = 1024 * 1024;
const text = (raw: string): ParseResult<string> => ({ value: raw.trim() });

function bounded(what: string, min: number, max: number) {
  return (raw: string): ParseResult<number> => {
    const v = raw.trim();
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
      return { error: `"${raw}" is not ${what} from ${min} to ${max}${commentHint(raw)}` };
    return { value: Number(v) };
  };
}

function size(what: string, min: number, max: number) {
  return (raw: string): ParseResult<number> => {
    const n = parseBytes(raw);
    if (n === undefined) return { error: `"${raw}" is not a size (e.g. 16M, 64MiB, 2G)${commentHint(raw)}` };
    if (n < min || n > max) return { error: `${what} must be ${min / MiB} MiB to ${max / MiB} MiB, not ${raw.trim()}` };
    return { value: n };
  };
}

function absolute(raw: string): ParseResult<string> {
  const v = raw.trim();
  return v.startsWith('/') && !/[\0\n]/.test(v) ? { value: v } : { error: `"${raw}" is not an absolute path${commentHint(raw)}` };
}

const KEY_HINT = 'make one with: umask 077 && openssl rand -hex 32 > /etc/holdfast/backup.key';

export const STORE_KEYS = [
  key({
    name: 's3_endpoint',
    scope: 'section',
    describe: 'S3 endpoint URL of an S3-compatible server, e.g. https://s3.example.net (unset: AWS)',
    parse: (raw) => (/^https?:\/\/[^\s/]+/.test(raw.trim()) ? text(raw) : { error: `"${raw}" is not an http(s) URL${commentHint(raw)}` }),
  }),
  key({
    name: 's3_region',
    scope: 'section',
    describe: 'S3 region (default us-east-1)',
    parse: (raw) => (/^[a-z0-9-]+$/.test(raw.trim()) ? text(raw) : { error: `"${raw}" is not a region name` }),
  }),
  key({
    name: 's3_path_style',
    scope: 'section',
    describe: 'yes (default): path-style requests (http://host/bucket/key), as most S3-compatible servers want',
    parse: parseYesNo,
  }),
  key({
    name: 's3_credentials_file',
    scope: 'section',
    describe: 'AWS shared-credentials file with aws_access_key_id and aws_secret_access_key (mode 0600)',
    parse: absolute,
  }),
  key({ name: 's3_profile', scope: 'section', describe: 'profile (section) in the credentials file (default: default)', parse: text }),
  key({
    name: 's3_storage_class',
    scope: 'section',
    describe: 'storage class of stream objects, e.g. STANDARD_IA (manifests always stay STANDARD)',
    parse: (raw) => (/^[A-Z_]+$/.test(raw.trim()) ? text(raw) : { error: `"${raw}" is not a storage class (e.g. STANDARD_IA, GLACIER)` }),
  }),
  key({
    name: 's3_transition_days',
    scope: 'section',
    describe: "move stream objects to s3_transition_class after this many days (a bucket lifecycle rule, ZFSBackup's Glacier rule)",
    parse: bounded('a number of days', 0, 36500),
  }),
  key({
    name: 's3_transition_class',
    scope: 'section',
    describe: 'the storage class s3_transition_days moves stream objects to (default GLACIER)',
    parse: (raw) => (/^[A-Z_]+$/.test(raw.trim()) ? text(raw) : { error: `"${raw}" is not a storage class` }),
  }),
  key({
    name: 's3_concurrency',
    scope: 'section',
    describe: 'parts uploaded at once (default 4); memory = part size × (concurrency + 1)',
    parse: bounded('a number of parts', 1, 64),
  }),
  key({
    name: 's3_part_size',
    scope: 'section',
    describe: 'multipart part size, 5M to 5G, or auto (default: 16 MiB, grown to stay under 10,000 parts)',
    parse: (raw): ParseResult<number | 'auto'> =>
      raw.trim().toLowerCase() === 'auto' ? { value: 'auto' } : size('s3_part_size', 5 * MiB, 5 * 1024 * MiB)(raw),
  }),
  key({
    name: 'store_compress',
    scope: 'section',
    describe: `compressor of stored streams: ${COMPRESS_NAMES.join(', ')} (default zstd)`,
    parse: (raw): ParseResult<CompressName> => {
      const v = raw.trim().toLowerCase();
      return isCompressName(v) ? { value: v } : { error: `"${raw}" is not one of ${COMPRESS_NAMES.join(', ')}${commentHint(raw)}` };
    },
  }),
  key({
    name: 'encrypt',
    scope: 'section',
    describe: 'yes: encrypt stored streams (AES-256-GCM) with encryption_key_file or encryption_key_env',
    parse: parseYesNo,
  }),
  key({
    name: 'encryption_key_file',
    scope: 'section',
    describe: `file with the 32-byte store key, mode 0600 (${KEY_HINT})`,
    parse: absolute,
  }),
  key({
    name: 'encryption_key_env',
    scope: 'section',
    describe: 'name of an environment variable holding the store key (64 hex digits)',
    parse: (raw) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(raw.trim()) ? text(raw) : { error: `"${raw}" is not an environment variable name` }),
  }),
  key({
    name: 'full_every',
    scope: 'section',
    describe: 'start a new full stream after N incrementals (30) or when the chain is older than a period (7d, 1 month)',
    parse: (raw) => {
      const r = parseFullEvery(raw);
      return 'error' in r ? { error: r.error } : { value: r.value };
    },
  }),
  key({
    name: 'chunk_size',
    scope: 'section',
    describe: 'file:// stores: largest chunk file (default 2G, as ZFSBackup)',
    parse: size('chunk_size', 1 * MiB, 1024 * 1024 * MiB),
  }),
  key({
    name: 'snapshot_prefix',
    scope: 'section',
    describe: "only snapshots whose name starts with this go to the store (z3's SNAPSHOT_PREFIX)",
    parse: (raw) => {
      const v = raw.trim();
      const p = snapshotNameProblem(v);
      return p ? { error: `"${raw}": ${p}` } : { value: v };
    },
  }),
];

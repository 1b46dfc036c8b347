import { PolicyResolver } from '../../config/resolve.js';
import type { PolicyFile, SectionConfig } from '../../config/policy-file.js';
import { type Location, type ZfsLocation, locationLabel, parseLocation } from '../../domain/location.js';
import type { SendTypes } from '../../domain/replication/select.js';
import { UsageError } from '../../domain/errors.js';

// Everything that shapes one destination's transfers (pyznap's per-destination lists, §2.3,
// plus holdfast's own keys and flags).
export interface DestOptions {
  readonly compress?: string; // requested compressor; unset: lzop over ssh, none locally
  readonly raw: boolean;
  readonly resume: boolean;
  readonly autoCreate: boolean;
  readonly retries: number;
  readonly retryIntervalSec: number;
  readonly exclude: readonly string[];
  readonly force: boolean;
  readonly initial: 'oldest' | 'newest';
  readonly sendTypes: SendTypes;
  readonly props: boolean;
  readonly mount: boolean;
  readonly sourceKey?: string; // ssh identity files
  readonly destKey?: string;
}

export const DEFAULT_DEST_OPTIONS: DestOptions = {
  raw: false,
  resume: false,
  autoCreate: false,
  retries: 0,
  retryIntervalSec: 10,
  exclude: [],
  force: false,
  initial: 'oldest',
  sendTypes: 'all',
  props: false,
  mount: false,
};

// One source tree to one destination.
export interface SendJob {
  readonly section?: { readonly name: string; readonly line: number };
  readonly source: ZfsLocation;
  readonly dest: ZfsLocation;
  readonly options: DestOptions;
}

// A destination that cannot be a job: unparsable, or not a zfs location.
export interface JobProblem {
  readonly target: string;
  readonly message: string;
  readonly skipped?: boolean; // not a failure: handled elsewhere (s3://, file://)
}

// Every (section, destination) pair of the policy file, in section order then dest order.
export function jobsFromConfig(file: PolicyFile): { jobs: SendJob[]; problems: JobProblem[] } {
  const r = new PolicyResolver(file);
  const jobs: SendJob[] = [];
  const problems: JobProblem[] = [];
  for (const s of file.sections) {
    const dests = r.value<string[]>(s, 'dest')?.value ?? [];
    if (dests.length === 0 || s.location?.kind !== 'zfs') continue;
    const parsed = dests.map(parseLocation);
    const isSsh = parsed.map((p) => p.ok && p.value.kind === 'zfs' && p.value.endpoint.kind === 'ssh');
    parsed.forEach((p, i) => {
      if (!p.ok) return problems.push({ target: `[${s.name}] dest ${i + 1}`, message: p.problem });
      if (p.value.kind !== 'zfs')
        return problems.push({
          target: `${s.name} → ${locationLabel(p.value)}`,
          message: `a ${p.value.kind}:// destination: sent by the object-store branch of send, not by zfs replication`,
          skipped: true,
        });
      jobs.push({
        section: { name: s.name, line: s.line },
        source: s.location as ZfsLocation,
        dest: p.value,
        options: destOptions(r, s, i, isSsh),
      });
    });
  }
  return { jobs, problems };
}

// pyznap's indexing: dest_keys and compress may hold one entry per ssh destination (pyznap's
// way) or one per destination; with an ssh source, compress's first entry applies to all.
function destOptions(r: PolicyResolver, s: SectionConfig, i: number, isSsh: readonly boolean[]): DestOptions {
  const list = <T>(key: string): readonly T[] | undefined => r.value<T[]>(s, key)?.value;
  const at = <T>(key: string): T | undefined => list<T>(key)?.[i];
  const blank = <T>(v: T | undefined): T | undefined => (v === '' ? undefined : v);
  const sshIndex = isSsh.slice(0, i).filter(Boolean).length;
  const perSsh = <T>(key: string): T | undefined => {
    const l = list<T>(key);
    if (!l) return undefined;
    if (l.length === isSsh.length) return blank(l[i]);
    return isSsh[i] ? blank(l[sshIndex]) : undefined;
  };
  const sourceSsh = s.location?.kind === 'zfs' && s.location.endpoint.kind === 'ssh';
  const compress =
    sourceSsh && (list<string>('compress')?.length ?? 0) !== isSsh.length
      ? blank(list<string>('compress')?.[0])
      : perSsh<string>('compress');
  const sourceKey = r.value<string>(s, 'key')?.value;
  const destKey = perSsh<string>('dest_keys');
  return {
    ...DEFAULT_DEST_OPTIONS,
    ...(compress !== undefined ? { compress } : {}),
    raw: at<boolean>('raw_send') ?? false,
    resume: at<boolean>('resume') ?? false,
    autoCreate: at<boolean>('dest_auto_create') ?? false,
    retries: at<number>('retries') ?? 0,
    retryIntervalSec: at<number>('retry_interval') ?? 10,
    exclude: at<string[]>('exclude') ?? [],
    force: at<boolean>('force') ?? false,
    initial: (blank(at<string>('initial_send')) as DestOptions['initial'] | undefined) ?? 'oldest',
    sendTypes: (blank(at<string>('send_types')) as SendTypes | undefined) ?? 'all',
    props: at<boolean>('send_props') ?? false,
    mount: at<boolean>('dest_mount') ?? false,
    ...(sourceKey ? { sourceKey } : {}),
    ...(destKey ? { destKey } : {}),
  };
}

// `holdfast send -s SRC -d DEST …`: one job from the command line; no config needed.
export function jobFromFlags(source: string, dest: string, options: DestOptions): SendJob {
  const src = zfsOnly(source, 'source (-s)');
  const dst = zfsOnly(dest, 'destination (-d)');
  return { source: src, dest: dst, options };
}

function zfsOnly(text: string, what: string): ZfsLocation {
  const p = parseLocation(text);
  if (!p.ok) throw new BadLocationError(`${what}: ${p.problem}`);
  if (p.value.kind !== 'zfs')
    throw new BadLocationError(`${what}: ${text} is not a zfs dataset (write a dataset or ssh:PORT:USER@HOST:DATASET)`);
  return p.value;
}

// A -s/-d value that is not a dataset location: a usage error (exit 2, nothing runs).
export class BadLocationError extends UsageError {
  override name = 'BadLocationError';
}

export type { Location };

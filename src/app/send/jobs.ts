import type { PolicyFile } from '../../config/policy-file.js';
import { DEFAULT_DEST_OPTIONS, type DestOptions } from '../../config/sections/dests.js';
import { type Location, type ZfsLocation, locationLabel, parseLocation } from '../../domain/location.js';
import { UsageError } from '../../domain/errors.js';

export { DEFAULT_DEST_OPTIONS, type DestOptions };

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

// Every (zfs section, destination) pair of the policy file, in section order then dest order.
export function jobsFromConfig(file: PolicyFile): { jobs: SendJob[]; problems: JobProblem[] } {
  const jobs: SendJob[] = [];
  const problems: JobProblem[] = [];
  for (const t of file.sends) {
    if (t.source.kind !== 'zfs') continue;
    if (t.kind === 'zfs') jobs.push({ section: t.section, source: t.source, dest: t.dest, options: t.options });
    else if (t.kind === 'invalid') problems.push({ target: `[${t.section.name}] dest ${t.index + 1}`, message: t.problem });
    else
      problems.push({
        target: `${t.section.name} → ${locationLabel(t.dest)}`,
        message: `a ${t.dest.kind}:// destination: sent by the object-store branch of send, not by zfs replication`,
        skipped: true,
      });
  }
  return { jobs, problems };
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

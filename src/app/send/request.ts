import type { PolicyFile } from '../../config/policy-file.js';
import type { Endpoint } from '../../domain/endpoint.js';
import type { SendTypes } from '../../domain/replication/select.js';
import { type StoreFlags, type StoreJob, storeJobFromFlags, storeJobsFromConfig } from '../store/jobs.js';
import { DEFAULT_DEST_OPTIONS, type DestOptions, type JobProblem, type SendJob, jobFromFlags, jobsFromConfig } from './jobs.js';

// What `holdfast send` is asked to do: its flags, read and checked by the command.
export interface SendRequest {
  readonly source?: string; // -s and -d: one pair, no config needed; neither: every dest of the config
  readonly dest?: string;
  readonly compress?: string;
  readonly key?: string; // -i: the destination's identity if it is remote, else the source's
  readonly sourceKey?: string;
  readonly destKey?: string;
  readonly exclude?: readonly string[];
  readonly raw: boolean;
  readonly resume: boolean;
  readonly autoCreate: boolean;
  readonly retries: number;
  readonly retryIntervalSec: number;
  readonly force: boolean;
  readonly initial?: 'oldest' | 'newest';
  readonly sendTypes?: SendTypes;
  readonly props: boolean;
  readonly mount: boolean;
  readonly full: boolean; // stores only (z3's backup --full)
  readonly snapshot?: string; // stores only (z3's --snapshot)
  readonly prune: boolean; // false with --no-clean
  readonly bwlimit?: number; // --bwlimit: bytes per second over every destination's own; 0: none
}

// `holdfast send` with no flags: every destination of the config, as cron runs it.
export const CONFIG_SEND: SendRequest = {
  raw: false,
  resume: false,
  autoCreate: false,
  retries: 0,
  retryIntervalSec: 0,
  force: false,
  props: false,
  mount: false,
  full: false,
  prune: true,
};

// One run's work: zfs replication jobs, destinations that cannot be jobs, store uploads, and the
// ssh identities the jobs name (for the run's ssh settings).
export interface SendWork {
  readonly jobs: readonly SendJob[];
  readonly problems: readonly JobProblem[];
  readonly stores: readonly StoreJob[];
  readonly identities: readonly (readonly [Endpoint, string | undefined])[];
}

// The jobs of a request: every dest of the config (routed by kind in config/), with the flags on
// top, or the one -s/-d pair, routed here: an s3:// or file:// store, else a zfs dataset. A -s or
// -d that names neither throws BadLocationError (a usage error). Without a config file, `file` is
// config's emptyPolicy (a one-off send needs none).
export function sendWork(file: PolicyFile, r: SendRequest): SendWork {
  const flags: StoreFlags = {
    ...(r.full ? { full: true } : {}),
    ...(r.snapshot !== undefined ? { snapshot: r.snapshot } : {}),
    ...(r.exclude ? { exclude: r.exclude } : {}),
    raw: r.raw,
    props: r.props,
    prune: r.prune,
    ...(r.bwlimit !== undefined ? { bwlimit: r.bwlimit } : {}),
  };
  if (r.source === undefined || r.dest === undefined) {
    const built = jobsFromConfig(file);
    const jobs = built.jobs.map((j) => ({ ...j, options: overlay(j.options, r) }));
    return { jobs, problems: built.problems, stores: storeJobsFromConfig(file, flags), identities: identities(jobs) };
  }
  const store = storeJobFromFlags(file, r.source, r.dest, flags);
  if (store) {
    // The store has no ssh side; an ssh source gets the identity it would get in a zfs job.
    const o = flagOptions(r, store.source.endpoint, undefined);
    const src = store.source.endpoint;
    return {
      jobs: [],
      problems: [],
      stores: [store],
      identities:
        src.kind === 'ssh'
          ? [
              [src, o.destKey],
              [src, o.sourceKey],
            ]
          : [],
    };
  }
  const job = jobFromFlags(r.source, r.dest, DEFAULT_DEST_OPTIONS);
  const jobs = [{ ...job, options: flagOptions(r, job.source.endpoint, job.dest.endpoint) }];
  return { jobs, problems: [], stores: [], identities: identities(jobs) };
}

const identities = (jobs: readonly SendJob[]): [Endpoint, string | undefined][] =>
  jobs.flatMap((j) => [[j.dest.endpoint, j.options.destKey] as [Endpoint, string | undefined], [j.source.endpoint, j.options.sourceKey]]);

// The options of a one-off send, pyznap's -i rule included.
function flagOptions(r: SendRequest, source: Endpoint, dest: Endpoint | undefined): DestOptions {
  const destSsh = dest?.kind === 'ssh';
  const sourceKey = r.sourceKey ?? (!destSsh && source.kind === 'ssh' ? r.key : undefined);
  const destKey = r.destKey ?? (destSsh ? r.key : undefined);
  return overlay(
    {
      ...DEFAULT_DEST_OPTIONS,
      ...(r.compress ? { compress: r.compress.toLowerCase() } : {}),
      raw: r.raw,
      resume: r.resume,
      autoCreate: r.autoCreate,
      retries: r.retries,
      retryIntervalSec: r.retryIntervalSec,
      exclude: r.exclude ?? [],
      ...(sourceKey ? { sourceKey } : {}),
      ...(destKey ? { destKey } : {}),
    },
    r,
  );
}

// Flags that also apply on top of the config's per-destination settings.
function overlay(d: DestOptions, r: SendRequest): DestOptions {
  const { bwlimit: _, ...unlimited } = d;
  return {
    ...(r.bwlimit === 0 ? unlimited : d),
    ...(r.bwlimit ? { bwlimit: r.bwlimit } : {}),
    ...(r.force ? { force: true } : {}),
    ...(r.initial ? { initial: r.initial } : {}),
    ...(r.sendTypes ? { sendTypes: r.sendTypes } : {}),
    ...(r.props ? { props: true } : {}),
    ...(r.mount ? { mount: true } : {}),
  };
}

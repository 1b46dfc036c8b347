import type { PairPlan, Transfer } from '../../domain/replication/types.js';
import type { Failure } from '../failures.js';
import type { JobProblem, SendJob } from './jobs.js';
import type { SnapReport } from '../snap/cycle.js';

// One transfer (a pipeline) as planned, and how it went.
export interface TransferRecord {
  readonly step: Transfer;
  readonly pipeline: string; // one copy-pasteable shell line
  readonly estimateBytes?: number;
  readonly bytes?: number; // as zfs receive -v reported it (or pv counted)
  readonly ms?: number;
}

export type PairStatus = 'planned' | 'sent' | 'up-to-date' | 'conflict' | 'skipped' | 'failed';

export interface PairReport {
  readonly plan: PairPlan;
  readonly status: PairStatus;
  readonly commands: readonly string[]; // every command in order, pipelines included, printable
  readonly transfers: readonly TransferRecord[];
  readonly attempts: number;
  readonly error?: string;
  // The newest snapshot a failed pair did get across (a full send before a failed -I): held, so
  // the next run finds a base even if the source prunes meanwhile.
  readonly reached?: string;
}

export type JobStatus = 'ok' | 'failed' | 'busy' | 'conflict';

export interface JobReport {
  readonly job: SendJob;
  readonly label: string; // "tank/data → ssh:22:root@host:backup/data"
  readonly status: JobStatus;
  readonly problem?: string; // the whole destination could not be used
  readonly prelude: readonly string[];
  readonly pairs: readonly PairReport[];
  readonly holds: readonly string[]; // hold/release commands, printable
  readonly notes: readonly string[]; // warnings: missing compressor, no resume on zfs-fuse, …
}

export interface SendReport {
  readonly dryRun: boolean;
  readonly jobs: readonly JobReport[];
  readonly problems: readonly JobProblem[];
  readonly failures: readonly Failure[];
  readonly busy: readonly string[];
  readonly clean?: SnapReport; // the destinations' own clean, after sending
  readonly cleanSkipped?: string;
}

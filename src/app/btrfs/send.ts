import { posix } from 'node:path';
import type { PolicyFile } from '../../config/policy-file.js';
import { type Endpoint, placeLabel } from '../../domain/endpoint.js';
import { tagPlace } from '../../domain/replication/hold-tag.js';
import { type BtrfsSendPlan, planBtrfsSend } from './send-plan.js';
import type { BtrfsSendDeps, BtrfsTransfer } from './ports.js';
import { type Failure, messageOf } from '../failures.js';

// One [btrfs:/PATH] section's snapshots to one btrfs destination directory.
export interface BtrfsSendJob {
  readonly section: string;
  readonly source: { readonly endpoint: Endpoint; readonly path: string };
  readonly dest: { readonly endpoint: Endpoint; readonly dir: string };
  readonly compress?: string;
  readonly identity?: string; // dest_keys entry for an ssh destination
}

// The jobs of every btrfs section with a dest; destinations that are not btrfs are problems.
export function btrfsSendJobs(file: PolicyFile): { jobs: BtrfsSendJob[]; problems: Failure[] } {
  const jobs: BtrfsSendJob[] = [];
  const problems: Failure[] = [];
  for (const t of file.sends) {
    if (t.source.kind !== 'btrfs') continue;
    if (t.kind === 'btrfs')
      jobs.push({
        section: t.section.name,
        source: { endpoint: t.source.endpoint, path: t.source.path },
        dest: { endpoint: t.dest.endpoint, dir: t.dest.path },
        ...(t.compress ? { compress: t.compress } : {}),
        ...(t.identity ? { identity: t.identity } : {}),
      });
    else
      problems.push({
        target: `${t.section.name} → ${t.text}`,
        stage: 'config',
        message:
          t.kind === 'invalid'
            ? t.problem
            : 'a btrfs subvolume replicates only to a btrfs destination (btrfs:/PATH or btrfs:ssh:PORT:USER@HOST:/PATH)',
      });
  }
  return { jobs, problems };
}

export interface BtrfsSendResult {
  readonly job: BtrfsSendJob;
  readonly plan?: BtrfsSendPlan;
  readonly commands: readonly string[];
  readonly sent: readonly string[];
  readonly failure?: Failure;
}

// One hold tag per destination, so each keeps its own base (zfs send's `holdfast:<dest>`).
export const holdTag = (job: BtrfsSendJob): string => `holdfast:${tagPlace(job.dest.endpoint, job.dest.dir)}`;

// Replicate one job: list both ends, plan (common parent by received_uuid), clear unfinished
// receives in the way, then send each snapshot with the previous as its parent. A failed
// transfer stops the job (the later steps need it); nothing half-received is kept as a base.
export async function runBtrfsSendJob(deps: BtrfsSendDeps, job: BtrfsSendJob): Promise<BtrfsSendResult> {
  const label = `${placeLabel(job.source.endpoint, job.source.path)} → ${placeLabel(job.dest.endpoint, job.dest.dir)}`;
  const commands: string[] = [];
  const sent: string[] = [];
  const fail = (message: string, plan?: BtrfsSendPlan): BtrfsSendResult => {
    deps.log.event({ kind: 'failed', stage: 'btrfs-send', target: label, message });
    return { job, commands, sent, ...(plan ? { plan } : {}), failure: { target: label, stage: 'send', message } };
  };
  try {
    const snapDir = deps.snapshotDirOf(job.source.path);
    const source = ((await deps.replica.list(job.source.endpoint, snapDir)) ?? []).filter((s) => s.readonly);
    let dest = await deps.replica.list(job.dest.endpoint, job.dest.dir);
    if (!dest) {
      commands.push(deps.printable(job.dest.endpoint, deps.replica.argv.mkdirp(job.dest.dir)));
      if (!deps.dryRun) await deps.replica.mkdirp(job.dest.endpoint, job.dest.dir);
      dest = [];
    }
    const plan = planBtrfsSend(source, dest);
    if (plan.kind === 'conflict') return fail(plan.message, plan);
    if (plan.clear.length > 0) {
      const paths = plan.clear.map((n) => posix.join(job.dest.dir, n));
      commands.push(deps.printable(job.dest.endpoint, deps.replica.argv.delete(paths)));
      if (!deps.dryRun) {
        const r = await deps.replica.delete(job.dest.endpoint, paths);
        if (r.failed.length > 0)
          return fail(`cannot delete the unfinished receive ${r.failed[0]!.target}: ${r.failed[0]!.error.message}`, plan);
      }
      deps.log.event({ kind: 'receives-cleared', pair: label, subvolumes: plan.clear, dryRun: deps.dryRun });
    }
    for (const step of plan.steps) {
      const t: BtrfsTransfer = {
        source: { endpoint: job.source.endpoint, path: posix.join(snapDir, step.name) },
        ...(step.parent ? { parent: posix.join(snapDir, step.parent) } : {}),
        dest: { endpoint: job.dest.endpoint, dir: job.dest.dir },
        ...(job.compress ? { compress: job.compress } : {}),
      };
      commands.push(deps.replica.describe(t));
      if (deps.dryRun) continue;
      const r = await deps.replica.transfer(t);
      if (!r.ok) return fail(`${step.name}: ${r.message}; the next run sends it again`, plan);
      sent.push(step.name);
      deps.log.event({ kind: 'btrfs-sent', pair: label, snapshot: step.name, ...(step.parent ? { parent: step.parent } : {}), ms: r.ms });
    }
    if (plan.steps.length === 0)
      deps.log.event({ kind: 'btrfs-up-to-date', pair: label, ...(plan.common ? { snapshot: plan.common } : {}) });
    // Hold the new base on the source, as zfs send does, so clean cannot prune the snapshot the
    // next incremental starts from (the holds file in the snapshot directory).
    const base = sent.at(-1) ?? plan.common;
    if (base && !deps.dryRun) await deps.replica.hold(job.source.endpoint, snapDir, holdTag(job), base);
    return { job, plan, commands, sent };
  } catch (e) {
    return fail(messageOf(e));
  }
}

import { exclusionOf } from '../../domain/replication/exclude.js';
import type { SourceSnap } from '../../domain/store/select.js';
import { type UploadPlan, type UploadStep, planUploads } from '../../domain/store/plan-upload.js';
import { storeSelector } from '../../domain/store/select.js';
import type { DatasetIndex } from '../../domain/store/dataset-index.js';
import { messageOf } from '../failures.js';
import { within } from '../activity.js';
import type { Doing } from '../ports.js';
import type { ZfsHoldCommand } from '../../domain/zfs-command.js';
import { type UploadEnv, type UploadRecord, describeStep, uploadStep } from './upload.js';

export interface StoreDatasetReport {
  readonly dataset: string;
  readonly plan?: UploadPlan;
  readonly status: 'planned' | 'uploaded' | 'up-to-date' | 'skipped' | 'failed';
  readonly uploads: readonly UploadRecord[];
  readonly holds: readonly string[]; // zfs hold/release commands, printable
  readonly skip?: string;
  readonly error?: string;
}

export interface DatasetJob {
  readonly dataset: string;
  readonly root: string;
  readonly source: readonly SourceSnap[];
  readonly stored?: DatasetIndex;
  readonly excludes: readonly string[];
  readonly full: boolean;
  readonly upTo?: string;
  readonly tag: string; // the hold tag pinning this store's incremental base on the source
}

// One source dataset to the store: plan its steps, then (unless --dry-run) upload them in
// order, holding each new base on the source and releasing the ones the store no longer needs.
export async function sendDataset(env: UploadEnv, j: DatasetJob): Promise<StoreDatasetReport> {
  const ex = exclusionOf(j.dataset, j.root, j.excludes);
  if (ex) return { dataset: j.dataset, status: 'skipped', uploads: [], holds: [], skip: `excluded by "${ex.pattern}" (${ex.matched})` };
  const cfg = env.cfg;
  const plan = planUploads({
    dataset: j.dataset,
    source: j.source,
    stored: j.stored?.stored ?? new Map(),
    chains: j.stored?.chains ?? new Map(),
    select: storeSelector({ ...(cfg.snapshotPrefix ? { snapshotPrefix: cfg.snapshotPrefix } : {}), policy: cfg.policy }),
    policy: cfg.policy,
    ...(cfg.fullEvery ? { fullEvery: cfg.fullEvery } : {}),
    forceFull: j.full,
    ...(j.upTo !== undefined ? { upTo: j.upTo } : {}),
  });
  for (const note of plan.notes) env.ctx.log.event({ kind: 'store-note', about: `${j.dataset} → ${cfg.url}`, note });
  if (plan.outcome === 'problem') return { dataset: j.dataset, plan, status: 'failed', uploads: [], holds: [], error: plan.problem! };
  if (plan.outcome !== 'upload')
    return {
      dataset: j.dataset,
      plan,
      status: plan.outcome === 'up-to-date' ? 'up-to-date' : 'skipped',
      uploads: [],
      holds: [],
      ...(plan.outcome === 'nothing-selected' ? { skip: 'no snapshot passes the store filter' } : {}),
    };
  const lastBefore = newestName(j);
  const newest = plan.newest!;
  const releases = [...new Set([lastBefore, ...plan.steps.map((s) => s.to.name)])].filter(
    (n): n is string => n !== undefined && n !== newest,
  );
  const at = (n: string): string => `${j.dataset}@${n}`;
  const zfs = env.ports.zfs(env.source.endpoint);
  const hold: ZfsHoldCommand = { op: 'hold', tag: j.tag, snapshots: plan.steps.map((s) => at(s.to.name)) };
  const holds = [zfs.print(hold), ...(releases.length > 0 ? [zfs.print({ op: 'release', tag: j.tag, snapshots: releases.map(at) })] : [])];
  if (env.ctx.dryRun)
    return { dataset: j.dataset, plan, status: 'planned', uploads: plan.steps.map((s) => describeStep(env, j.dataset, s)), holds };
  // Hold what is about to be sent first, so the source's clean cannot destroy it under us.
  const held = await zfs.batch(hold);
  for (const f of held.failed) env.ctx.log.event({ kind: 'hold-failed', op: 'hold', snapshot: f.target, message: f.error.message });
  const uploads: UploadRecord[] = [];
  let error: string | undefined;
  let storedNewest = lastBefore;
  for (const step of plan.steps) {
    try {
      const { record } = await within(env.ctx.during, uploadDoing(at(step.to.name), cfg.url, step), () => uploadStep(env, j.dataset, step));
      uploads.push(record);
      storedNewest = newer(j, storedNewest, step);
      env.ctx.log.event({
        kind: 'uploaded',
        snapshot: at(step.to.name),
        destination: cfg.url,
        transfer: step.kind,
        ...(step.kind === 'full' ? {} : { from: step.from.name }),
        ...(record.streamBytes !== undefined ? { streamBytes: record.streamBytes } : {}),
        ...(record.storedBytes !== undefined ? { storedBytes: record.storedBytes } : {}),
        ms: record.ms ?? 0,
      });
    } catch (e) {
      error = `${at(step.to.name)}: ${messageOf(e)}`;
      env.ctx.log.event({ kind: 'upload-failed', snapshot: at(step.to.name), destination: cfg.url, message: messageOf(e) });
      break;
    }
  }
  const release = [lastBefore, ...plan.steps.map((s) => s.to.name)].filter((n): n is string => n !== undefined && n !== storedNewest);
  const released = await zfs.batch({ op: 'release', tag: j.tag, snapshots: [...new Set(release)].map(at) });
  for (const f of released.failed) env.ctx.log.event({ kind: 'hold-failed', op: 'release', snapshot: f.target, message: f.error.message });
  return { dataset: j.dataset, plan, status: error ? 'failed' : 'uploaded', uploads, holds, ...(error ? { error } : {}) };
}

// An interrupted upload leaves nothing: the store removes its partial object (an S3 multipart
// upload is aborted on the server) and the manifest is written last.
function uploadDoing(snapshot: string, url: string, step: UploadStep): Doing {
  return {
    what: `upload ${snapshot} → ${url} (${step.kind === 'full' ? 'full' : `incremental from @${step.from.name}`})`,
    next: 'nothing of it is stored (the partial upload is removed): the next run uploads it again',
  };
}

function newestName(j: DatasetJob): string | undefined {
  let best: { name: string; txg: number } | undefined;
  for (const m of j.stored?.stored.values() ?? []) if (!best || m.createtxg > best.txg) best = { name: m.snapshot, txg: m.createtxg };
  return best?.name;
}

// After a --full of an older snapshot the newest stored one stays the newest.
function newer(j: DatasetJob, current: string | undefined, step: UploadStep): string {
  const txgOf = (n: string | undefined): number =>
    n === undefined ? -1 : (j.source.find((s) => s.name === n)?.createtxg ?? j.stored?.stored.get(n)?.createtxg ?? -1);
  return step.to.createtxg >= txgOf(current) ? step.to.name : current!;
}

import { createHash } from 'node:crypto';
import { LOCAL } from '../../domain/endpoint.js';
import { type ZfsLocation, locationLabel } from '../../domain/location.js';
import { holdTag } from '../hold-tag.js';
import { compressorOf } from '../../domain/store/filters.js';
import { STREAMS, underRoot } from '../../domain/store/names.js';
import type { AppContext } from '../context.js';
import { textOf } from '../log/events.js';
import { type Failure, messageOf } from '../failures.js';
import type { StoreTarget } from '../../config/sections/store.js';
import type { BlobStore, StoreKey, StoreLocation, StorePorts } from './ports.js';
import { type StorePruneReport, executePrune, planPrune } from './prune.js';
import { type ManifestCache, readStoreIndex } from './read.js';
import { type StoreDatasetReport, sendDataset } from './send-dataset.js';
import type { UploadEnv } from './upload.js';
import { limitArgv } from '../send/pipeline.js';
import { rateArg } from '../../domain/units.js';

export interface StoreSendOptions {
  readonly excludes?: readonly string[]; // the destination's exclude patterns
  readonly raw?: boolean; // zfs send -w (raw_send)
  readonly props?: boolean; // zfs send -p (send_props)
  readonly full?: boolean; // z3's `backup --full`: a full stream of the target snapshot
  readonly snapshot?: string; // z3's `--snapshot NAME`: upload up to NAME only
  readonly prune?: boolean; // default true: the store's own retention after uploading (clean = yes)
  readonly bwlimit?: number; // bytes per second of the stream feeding the upload
}

export interface StoreSendInput {
  readonly ctx: AppContext; // ctx.dryRun: plan and print only
  readonly ports: StorePorts;
  readonly source: ZfsLocation; // the source dataset; its descendants go too
  readonly dest: StoreLocation;
  readonly config: StoreTarget; // storeTarget(file, dest)
  readonly options?: StoreSendOptions;
}

export interface StoreSendReport {
  readonly label: string; // "tank/data → s3://bucket/prefix"
  readonly url: string;
  readonly dryRun: boolean;
  readonly status: 'ok' | 'failed' | 'busy';
  readonly problem?: string; // the store could not be used at all (nothing was done)
  readonly datasets: readonly StoreDatasetReport[];
  readonly prune?: StorePruneReport;
  readonly notes: readonly string[];
  readonly failures: readonly Failure[];
}

// The per-destination lock name `holdfast send` uses for a store.
export const storeLockName = (url: string): string => `send-${createHash('sha256').update(url).digest('hex').slice(0, 16)}`;

// `holdfast send` for one (source dataset, store) pair: the store branch of the per-destination
// loop. Uploads what the store lacks (one object per snapshot step, each manifest last), then
// applies the store's retention. Never throws for a store or dataset problem: it reports it.
export async function sendToStore(input: StoreSendInput): Promise<StoreSendReport> {
  const { ctx, ports, source, config: cfg } = input;
  const o = input.options ?? {};
  const label = `${locationLabel(source)} → ${cfg.url}`;
  const notes: string[] = [];
  const base = { label, url: cfg.url, dryRun: ctx.dryRun, notes };
  const fail = (problem: string): StoreSendReport => {
    ctx.log.event({ kind: 'failed', stage: 'send', target: label, message: problem });
    return { ...base, status: 'failed', problem, datasets: [], failures: [{ target: label, stage: 'send', message: problem }] };
  };
  if (cfg.problem) return fail(cfg.problem);
  const c = compressorOf(cfg.compress);
  if (c && !ports.hasTool(c.name))
    return fail(`${c.name} is not installed on this host (apt install ${c.pkg}), or set store_compress in [${cfg.section}]`);
  const limit = o.bwlimit ? limitOn(o.bwlimit, ports) : undefined;
  if (limit === 'missing')
    return fail(
      `bwlimit = ${rateArg(o.bwlimit!)} needs mbuffer or pv on this host, which has neither; install one (apt install mbuffer) or remove the limit`,
    );
  const lock = ctx.dryRun ? undefined : await ports.lock(storeLockName(cfg.url));
  if (lock && 'busy' in lock) {
    ctx.log.event({ kind: 'busy', command: 'send', target: label, reason: `skipped, another run is sending to ${cfg.url} (${lock.busy})` });
    return { ...base, status: 'busy', problem: `another run is sending to ${cfg.url} (${lock.busy})`, datasets: [], failures: [] };
  }
  let store: BlobStore | undefined;
  try {
    let key: StoreKey | undefined;
    try {
      key = cfg.encrypt && cfg.key ? await ports.loadKey(cfg.key) : undefined;
      store = await ports.openStore(input.dest, { s3: cfg.s3, ...(cfg.chunkSize ? { chunkSize: cfg.chunkSize } : {}) });
      await store.check(); // a wrong secret stops here, before anything is uploaded
    } catch (e) {
      return fail(messageOf(e));
    }
    const listed = await ports.listSnapshots(source.endpoint, [source.dataset]);
    if (listed.missing.includes(source.dataset) || !listed.datasets.has(source.dataset))
      return fail(`source ${locationLabel(source)} does not exist`);
    await applyTransition(ctx, store, cfg, notes);
    const cache: ManifestCache = new Map();
    const index = await readStoreIndex(store, source.dataset, cache);
    const env: UploadEnv = {
      ctx,
      ports,
      store,
      cfg,
      source,
      ...(key ? { key } : {}),
      estimate: await ports.canEstimate(source.endpoint),
      send: { raw: o.raw ?? false, props: o.props ?? false },
      ...(limit ? { limit } : {}),
    };
    const tag = holdTag(LOCAL, cfg.url); // "holdfast:s3://bucket/prefix": one tag per store
    const datasets: StoreDatasetReport[] = [];
    for (const [dataset, snaps] of listed.datasets) {
      if (!underRoot(dataset, source.dataset)) continue;
      const stored = index.datasets.get(dataset);
      datasets.push(
        await sendDataset(env, {
          dataset,
          root: source.dataset,
          source: snaps,
          ...(stored ? { stored } : {}),
          excludes: o.excludes ?? [],
          full: o.full ?? false,
          ...(o.snapshot !== undefined ? { upTo: o.snapshot } : {}),
          tag,
        }),
      );
    }
    const failures: Failure[] = datasets
      .filter((d) => d.status === 'failed')
      .map((d) => ({ target: `${d.dataset} → ${cfg.url}`, stage: 'upload', message: d.error ?? 'failed' }));
    let prune: StorePruneReport | undefined;
    if (cfg.policy.clean && o.prune !== false) {
      const after = ctx.dryRun ? index : await readStoreIndex(store, source.dataset, cache);
      const plans = planPrune(after, cfg, ctx.clock.nowMs(), (d) => underRoot(d, source.dataset));
      prune = ctx.dryRun ? { plans, deleted: [], failures: [] } : await executePrune(ctx, store, plans);
      failures.push(...prune.failures);
    }
    return { ...base, status: failures.length > 0 ? 'failed' : 'ok', datasets, ...(prune ? { prune } : {}), failures };
  } catch (e) {
    return fail(messageOf(e));
  } finally {
    await store?.close().catch(() => undefined);
    if (lock && 'release' in lock) lock.release();
  }
}

// bwlimit on the upload: the stream is paced on this host, where the uploader reads it (the
// same programs as a zfs destination: mbuffer -r, else pv -L), never sent unthrottled.
function limitOn(bytesPerSec: number, ports: StorePorts): readonly string[] | 'missing' {
  const tool = ports.hasTool('mbuffer') ? 'mbuffer' : ports.hasTool('pv') ? 'pv' : undefined;
  return tool ? limitArgv({ bytesPerSec, tool }) : 'missing';
}

// ZFSBackup's Glacier rule, kept in place on every run (one GET when nothing changed).
async function applyTransition(ctx: AppContext, store: BlobStore, cfg: StoreTarget, notes: string[]): Promise<void> {
  if (!cfg.transition || cfg.location.kind !== 's3' || !store.transition) return;
  if (ctx.dryRun)
    return void notes.push(`would keep a lifecycle rule: ${STREAMS}* → ${cfg.transition.storageClass} after ${cfg.transition.days} days`);
  const { days, storageClass } = cfg.transition;
  const r = await store.transition(STREAMS, days, storageClass);
  if (r !== 'unsupported' && r !== 'updated') return;
  const event = { kind: 'lifecycle', destination: cfg.url, outcome: r, prefix: STREAMS, storageClass, days } as const;
  if (r === 'unsupported') notes.push(textOf(event));
  ctx.log.event(event);
}

import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ZfsLocation } from '../../domain/location.js';
import { compressorOf } from '../../domain/store/filters.js';
import { type Manifest, sendFilters } from '../../domain/store/manifest.js';
import { manifestKey, streamKey } from '../../domain/store/names.js';
import type { UploadStep } from '../../domain/store/plan-upload.js';
import type { ZfsSend } from '../../domain/zfs-command.js';
import type { AppContext } from '../context.js';
import type { StoreTarget } from '../../config/sections/store.js';
import type { BlobStore, StoreKey, StorePorts } from './ports.js';

export const WRITER = 'holdfast 0.1.0';

// What one upload step shares with the others of its run.
export interface UploadEnv {
  readonly ctx: AppContext;
  readonly ports: StorePorts;
  readonly store: BlobStore;
  readonly cfg: StoreTarget;
  readonly source: ZfsLocation;
  readonly key?: StoreKey;
  readonly estimate: boolean; // the source's zfs has send -nvP
  readonly send: { readonly raw: boolean; readonly props: boolean }; // -w, -p: as the destination asks
  readonly limit?: readonly string[]; // bwlimit: mbuffer -r or pv -L on this host, after the compressor
}

// One step, planned or done; printed by --dry-run and rendered in --json.
export interface UploadRecord {
  readonly kind: UploadStep['kind'];
  readonly from?: string;
  readonly to: string;
  readonly key: string;
  readonly manifestKey: string;
  readonly pipeline: string; // the stages as one readable line
  readonly estimateBytes?: number;
  readonly streamBytes?: number;
  readonly storedBytes?: number;
  readonly sha256?: string;
  readonly ms?: number;
}

// The step's `zfs send`: one snapshot in full, or the increment from the previous one (-i).
export function sendOf(dataset: string, step: UploadStep, f: UploadEnv['send']): ZfsSend {
  const from = step.kind === 'incremental' ? { from: { snapshot: `${dataset}@${step.from.name}`, intermediates: false } } : {};
  return { op: 'send', snapshot: `${dataset}@${step.to.name}`, ...from, raw: f.raw, props: f.props };
}

// The step as data: keys and the pipeline line (no secret: the key appears by its id only).
export function describeStep(env: UploadEnv, dataset: string, step: UploadStep, estimateBytes?: number): UploadRecord {
  const c = compressorOf(env.cfg.compress);
  const key = streamKey(dataset, step.to.name, step.kind, { compress: env.cfg.compress, encrypted: env.cfg.encrypt });
  const stages = [
    env.ports.zfs(env.source.endpoint).print(sendOf(dataset, step, env.send)),
    ...(c ? [c.compress.join(' ')] : []),
    ...(env.limit ? [env.limit.join(' ')] : []),
    ...(env.cfg.encrypt ? [`encrypt AES-256-GCM (key id ${env.key?.id ?? 'not loaded'})`] : []),
    `upload ${env.cfg.url}/${key}`,
  ];
  return {
    kind: step.kind,
    ...(step.kind === 'incremental' ? { from: step.from.name } : {}),
    to: step.to.name,
    key,
    manifestKey: manifestKey(dataset, step.to.name),
    pipeline: stages.join(' | '),
    ...(estimateBytes !== undefined ? { estimateBytes } : {}),
  };
}

// Upload one step's stream, then its manifest (last: an interrupted upload never looks
// complete). A failed stage or upload throws; the store has then kept nothing new.
export async function uploadStep(env: UploadEnv, dataset: string, step: UploadStep): Promise<{ record: UploadRecord; manifest: Manifest }> {
  const send = sendOf(dataset, step, env.send);
  const estimateBytes = env.estimate ? await env.ports.estimate(env.source.endpoint, send) : undefined;
  const planned = describeStep(env, dataset, step, estimateBytes);
  const c = compressorOf(env.cfg.compress);
  const t0 = env.ctx.clock.nowMs();
  const src = env.ports.send(env.source.endpoint, send, c?.compress, env.limit);
  const body: Readable = env.key ? chain(src.stream, env.ports.encrypt(env.key)) : src.stream;
  const metadata = { 'holdfast-kind': step.kind, ...(step.kind === 'incremental' ? { 'holdfast-parent': step.from.name } : {}) };
  const put = await env.store.put(planned.key, body, { ...(estimateBytes !== undefined ? { sizeHint: estimateBytes } : {}), metadata });
  const manifest: Manifest = {
    format: 'holdfast-manifest',
    version: 1,
    dataset,
    snapshot: step.to.name,
    guid: step.to.guid,
    createtxg: step.to.createtxg,
    created: new Date(step.to.createdMs).toISOString(),
    kind: step.kind,
    parent: step.kind === 'incremental' ? { snapshot: step.from.name, guid: step.from.guid } : null,
    object: { key: planned.key, bytes: put.bytes, sha256: put.sha256, parts: put.parts },
    stream: { bytes: src.rawBytes(), estimate: estimateBytes ?? null },
    filters: {
      send: sendFilters(env.send, step.kind === 'incremental'),
      compress: env.cfg.compress,
      encryption: env.key ? { format: 'HFCRYPT-1', keyId: env.key.id, segmentSize: 65536 } : null,
    },
    uploaded: new Date(env.ctx.clock.nowMs()).toISOString(),
    writer: WRITER,
  };
  await env.store.putSmall(planned.manifestKey, `${JSON.stringify(manifest, null, 2)}\n`);
  const ms = env.ctx.clock.nowMs() - t0;
  return { record: { ...planned, streamBytes: manifest.stream.bytes, storedBytes: put.bytes, sha256: put.sha256, ms }, manifest };
}

// a | b as one Readable: b's output, failing when either fails (the uploader then aborts).
function chain(a: Readable, b: NodeJS.ReadWriteStream & Readable): Readable {
  pipeline(a, b).catch((e: unknown) => b.destroy(e instanceof Error ? e : new Error(String(e))));
  return b;
}

import type { AppContext } from '../context.js';
import { messageOf } from '../failures.js';
import type { StoreTarget } from '../../config/sections/store.js';
import type { StorePorts } from './ports.js';
import { inParallel, readStoreIndex } from './read.js';
import { openVerified } from './stream.js';

export interface VerifyInput {
  readonly ctx: AppContext;
  readonly ports: StorePorts;
  readonly config: StoreTarget;
  readonly dataset?: string; // only this dataset and its children
  readonly parallel?: number; // objects read at once (default 2)
}

export interface VerifyRow {
  readonly dataset: string;
  readonly snapshot: string;
  readonly key: string; // the stream object, or the manifest that cannot be read
  readonly bytes?: number;
  readonly status: 'ok' | 'corrupt' | 'missing' | 'bad-manifest';
  readonly detail?: string;
}

export interface VerifyReport {
  readonly url: string;
  readonly rows: readonly VerifyRow[];
  readonly failed: number;
  readonly bytes: number; // read and checked
  readonly orphans: readonly string[]; // stream objects no manifest refers to (prune removes them)
}

// `holdfast verify DEST`: read every stored object back and check its size and sha256 against its
// manifest. Needs no key: the checksum covers the stored (encrypted) bytes.
export async function verifyStore(v: VerifyInput): Promise<VerifyReport> {
  const { ctx, ports, config: cfg } = v;
  const store = await ports.openStore(cfg.location, { s3: cfg.s3 });
  try {
    const index = await readStoreIndex(store, v.dataset);
    const rows: VerifyRow[] = [];
    const orphans: string[] = [];
    const jobs: (() => Promise<void>)[] = [];
    let bytes = 0;
    for (const d of index.datasets.values()) {
      for (const [snapshot, problem] of d.unreadable)
        rows.push({ dataset: d.dataset, snapshot, key: problem.split(': ')[0]!, status: 'bad-manifest', detail: problem });
      const referenced = new Set([...d.stored.values()].map((m) => m.object.key));
      for (const k of d.streams.keys()) if (!referenced.has(k)) orphans.push(k);
      for (const m of d.stored.values()) {
        jobs.push(async () => {
          const base = { dataset: d.dataset, snapshot: m.snapshot, key: m.object.key, bytes: m.object.bytes };
          if (!d.streams.has(m.object.key))
            return void rows.push({ ...base, status: 'missing', detail: `${store.url}/${m.object.key} is missing` });
          try {
            const checked = await openVerified(ports, store, m, undefined, false);
            for await (const c of checked) bytes += (c as Buffer).length;
            rows.push({ ...base, status: 'ok' });
          } catch (e) {
            rows.push({ ...base, status: 'corrupt', detail: messageOf(e) });
            ctx.log.event({ kind: 'failed', stage: 'verify', target: store.url, message: messageOf(e) });
          }
        });
      }
    }
    await inParallel(jobs, v.parallel ?? 2, (job) => job());
    rows.sort((a, b) => (a.dataset === b.dataset ? order(index, a) - order(index, b) : a.dataset < b.dataset ? -1 : 1));
    return { url: cfg.url, rows, failed: rows.filter((r) => r.status !== 'ok').length, bytes, orphans };
  } finally {
    await store.close().catch(() => undefined);
  }
}

const order = (index: Awaited<ReturnType<typeof readStoreIndex>>, r: VerifyRow): number =>
  index.datasets.get(r.dataset)?.stored.get(r.snapshot)?.createtxg ?? 0;

import { parentOf } from '../../domain/dataset-name.js';
import type { Endpoint } from '../../domain/endpoint.js';
import { locationLabel } from '../../domain/location.js';
import { compressorOf } from '../../domain/store/filters.js';
import { type Manifest, snapLabel } from '../../domain/store/manifest.js';
import type { ZfsReceive, ZfsSingle } from '../../domain/zfs-command.js';
import type { AppContext } from '../context.js';
import { messageOf } from '../failures.js';
import type { StoreTarget } from '../../config/sections/store.js';
import type { BlobStore, KeySource, StoreKey, StorePorts } from './ports.js';
import { readStoreIndex } from './read.js';
import { feed, openVerified } from './stream.js';
import { HoldfastError } from '../../domain/errors.js';

export interface RestoreInput {
  readonly ctx: AppContext;
  readonly ports: StorePorts;
  readonly config: StoreTarget;
  readonly dataset: string;
  readonly snapshot: string;
  readonly target: { readonly endpoint: Endpoint; readonly dataset: string };
  readonly force: boolean; // zfs receive -F on the full stream
  readonly key?: KeySource; // overrides the store section's (emergency restore without a config)
  readonly verifyFirst: boolean; // download and check every link before receiving anything
}

// One link of the chain, as restore will read it.
export interface RestoreLink {
  readonly snapshot: string;
  readonly kind: Manifest['kind'];
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly pipeline: string; // readable stages: get | verify | decrypt | decompress | zfs receive
}

export interface RestoreReport {
  readonly source: string; // dataset@snapshot
  readonly target: string;
  readonly status: 'planned' | 'restored' | 'failed';
  readonly links: readonly RestoreLink[];
  readonly mount: string; // the command that ends a restore, printable
  readonly received: readonly string[]; // snapshots now on the target
  readonly error?: string;
}

// Why: a restore refused before anything was received (nothing changed on the target).
export class RestoreRefused extends HoldfastError {
  override name = 'RestoreRefused';
}

// `holdfast restore DEST DATASET@SNAP --to TARGET`: from the chain's full to SNAP, each link
// streamed through its checks into `zfs receive`. Every link is checked before the first byte
// is received (manifests, objects, sizes, key, tools, target); a link found corrupt while
// streaming stops the receive of that link and names the object.
export async function restore(r: RestoreInput): Promise<RestoreReport> {
  const { ctx, ports, config: cfg } = r;
  const label = `${r.dataset}@${r.snapshot}`;
  const target = locationLabel({ kind: 'zfs', ...r.target });
  const store = await ports.openStore(cfg.location, { s3: cfg.s3 });
  try {
    const { chain, key } = await preflight(r, store, label);
    const links = chain.map((m, i) => linkOf(r, store, m, i === 0, key));
    const zfs = ports.zfs(r.target.endpoint);
    const mount: ZfsSingle = { op: 'mount', dataset: r.target.dataset };
    const base = { source: label, target, links, mount: zfs.print(mount) };
    if (ctx.dryRun) return { ...base, status: 'planned', received: [] };
    if (r.verifyFirst) {
      for (const m of chain) for await (const _ of await openVerified(ports, store, m, key)); // eslint-disable-line no-empty
      ctx.log.event({ kind: 'chain-verified', snapshot: label, links: chain.length });
    }
    const received: string[] = [];
    for (const [i, m] of chain.entries()) {
      const c = compressorOf(m.filters.compress);
      const t0 = ctx.clock.nowMs();
      try {
        // Open the object first: a GET that fails (an archived object, the network) must not
        // leave a zfs receive waiting for a stream that never comes.
        const from = await openVerified(ports, store, m, key);
        await feed(from, ports.receive(r.target.endpoint, receiveOf(r, i === 0), c?.decompress));
      } catch (e) {
        const after =
          received.length > 0
            ? `it kept nothing of it: ${target} holds up to @${received[received.length - 1]}`
            : await leftAfterFirst(r, target);
        const what = `${store.url}/${m.object.key}`;
        const message = messageOf(e).includes(what) ? messageOf(e) : `${what}: ${messageOf(e)}`;
        const error = `${message}; zfs receive of @${m.snapshot} was stopped; ${after}`;
        ctx.log.event({ kind: 'failed', stage: 'restore', target: label, message: error });
        return { ...base, status: 'failed', received, error };
      }
      received.push(m.snapshot);
      ctx.log.event({
        kind: 'received',
        snapshot: snapLabel(m),
        destination: target,
        transfer: m.kind,
        link: i + 1,
        links: chain.length,
        ms: ctx.clock.nowMs() - t0,
      });
    }
    // Links were received unmounted (-u) so none could change between two receives; mount now.
    await zfs.run(mount).catch((e: unknown) => ctx.log.event({ kind: 'not-mounted', dataset: target, message: messageOf(e) }));
    return { ...base, status: 'restored', received };
  } finally {
    await store.close().catch(() => undefined);
  }
}

// What a stopped full receive left, as found: OpenZFS drops a partial receive at once; zfs-fuse's
// daemon reads the stream itself and takes a moment to drop the dataset it had begun (or keeps it).
async function leftAfterFirst(r: RestoreInput, target: string): Promise<string> {
  const nothing = `it kept nothing: nothing was received into ${target}`;
  if (r.force) return nothing;
  for (let i = 0; i < 20; i++) {
    const listed = await r.ports.listSnapshots(r.target.endpoint, [r.target.dataset]).catch(() => undefined);
    if (listed && !listed.datasets.has(r.target.dataset)) return nothing;
    await new Promise((done) => setTimeout(done, 500));
  }
  return `nothing was received, but it left ${target} behind; remove it with zfs destroy -r ${r.target.dataset}`;
}

// Everything that can be known before receiving: the chain, its objects, the key, the tools,
// the target. Throws RestoreRefused with what to do.
async function preflight(r: RestoreInput, store: BlobStore, label: string): Promise<{ chain: Manifest[]; key?: StoreKey }> {
  const index = await readStoreIndex(store, r.dataset);
  const d = index.datasets.get(r.dataset);
  const bad = d?.unreadable.get(r.snapshot);
  if (bad) throw new RestoreRefused(`cannot restore ${label}: ${bad}`);
  const info = d?.chains.get(r.snapshot);
  if (!info) throw new RestoreRefused(`${label} is not in ${store.url} (holdfast status ${store.url} lists what is)`);
  if (!info.healthy) throw new RestoreRefused(`cannot restore ${label}: its chain is broken: ${info.problem}; nothing was received`);
  const chain = [...info.links];
  for (const m of chain) {
    const h = await store.head(m.object.key);
    if (!h)
      throw new RestoreRefused(`cannot restore ${label}: ${store.url}/${m.object.key} (@${m.snapshot}) is missing; nothing was received`);
    if (h.bytes !== m.object.bytes)
      throw new RestoreRefused(
        `cannot restore ${label}: ${store.url}/${m.object.key} has ${h.bytes} bytes, its manifest records ${m.object.bytes}; nothing was received`,
      );
    const c = compressorOf(m.filters.compress);
    if (c && !r.ports.hasTool(c.name))
      throw new RestoreRefused(`@${m.snapshot} is ${c.name}-compressed, and ${c.name} is not installed (apt install ${c.pkg})`);
  }
  const ids = [...new Set(chain.flatMap((m) => (m.filters.encryption ? [m.filters.encryption.keyId] : [])))];
  let key: StoreKey | undefined;
  if (ids.length > 0) {
    const source = r.key ?? r.config.key;
    if (!source)
      throw new RestoreRefused(
        `${label} is encrypted (key id ${ids.join(', ')}); give the key: encryption_key_file in [${r.config.url}], --key-file or --key-env`,
      );
    key = await r.ports.loadKey(source);
    const other = ids.find((id) => id !== key!.id);
    if (other)
      throw new RestoreRefused(`${label} was encrypted with key id ${other}, but the key given has id ${key.id}; nothing was received`);
  }
  await checkTarget(r);
  return { chain, ...(key ? { key } : {}) };
}

async function checkTarget(r: RestoreInput): Promise<void> {
  const parent = parentOf(r.target.dataset);
  const listed = await r.ports.listSnapshots(r.target.endpoint, [r.target.dataset, ...(parent ? [parent] : [])]);
  if (parent && !listed.datasets.has(parent))
    throw new RestoreRefused(`the parent ${parent} of ${r.target.dataset} does not exist; create it first (zfs create -p ${parent})`);
  if (listed.datasets.has(r.target.dataset) && !r.force)
    throw new RestoreRefused(`${r.target.dataset} exists; restore into a new dataset, or give --force to overwrite it (zfs receive -F)`);
}

// Every link is received unmounted (-u), so nothing changes the dataset between two links (an
// incremental receive then never needs -F); -F only with --force, and only for the full stream.
function receiveOf(r: RestoreInput, first: boolean): ZfsReceive {
  return { op: 'receive', dataset: r.target.dataset, verbose: false, mount: false, resumable: false, force: first && r.force };
}

function linkOf(r: RestoreInput, store: BlobStore, m: Manifest, first: boolean, key: StoreKey | undefined): RestoreLink {
  const c = compressorOf(m.filters.compress);
  const stages = [
    `get ${store.url}/${m.object.key}`,
    `verify sha256 ${m.object.sha256.slice(0, 12)}…`,
    ...(m.filters.encryption ? [`decrypt (key id ${key?.id ?? m.filters.encryption.keyId})`] : []),
    ...(c ? [c.decompress.join(' ')] : []),
    r.ports.zfs(r.target.endpoint).print(receiveOf(r, first)),
  ];
  return {
    snapshot: m.snapshot,
    kind: m.kind,
    key: m.object.key,
    bytes: m.object.bytes,
    sha256: m.object.sha256,
    pipeline: stages.join(' | '),
  };
}

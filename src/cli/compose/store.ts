import { existsSync } from 'node:fs';
import { DecryptStream, EncryptStream, type EncryptionKey, loadKey } from '../../adapters/crypto/index.js';
import { shellJoin } from '../../adapters/exec/shell-quote.js';
import { onPath } from '../../adapters/exec/tools.js';
import { lockOrBusy } from '../../adapters/lock/flock.js';
import { VerifyStream } from '../../adapters/store/verify-stream.js';
import { listSourceSnapshots } from '../../adapters/store/zfs-snapshots.js';
import { receiveSink, sendSource } from '../../adapters/store/zfs-pipe.js';
import { ReplicationZfs } from '../../adapters/zfs/replication.js';
import { ZfsHost } from '../../adapters/zfs/host.js';
import { StoreLocationError, parseStoreLocation } from '../../app/store/config.js';
import type { StorePorts } from '../../app/store/ports.js';
import type { StoreSendReport } from '../../app/store/send.js';
import { type StoreJob, runStoreJobs } from '../../app/store/jobs.js';
import type { Failure } from '../../app/failures.js';
import { emptyPolicy } from '../../config/normalize.js';
import type { PolicyFile } from '../../config/policy-file.js';
import { type StoreTarget, storeTarget } from '../../config/sections/store.js';
import { type Endpoint, endpointKey } from '../../domain/endpoint.js';
import { locationLabel } from '../../domain/location.js';
import { bytesText } from '../../domain/store/status.js';
import type { Composed } from './index.js';
import type { CommandEnv } from './env.js';
import { UsageError } from '../exit-codes.js';
import { renderStoreExplain, renderStoreSendPlan, storeSendJson } from '../render/store-ops.js';
import { sshSettingsFrom } from './ssh.js';

// The store use cases' ports, wired from a composed run (its runner and ssh connections). The
// AWS SDK loads only when an s3:// store is opened.
export function storePorts(c: Composed, lockDir: string, env: NodeJS.ProcessEnv = process.env): StorePorts {
  const zfs = new Map<string, ZfsHost>();
  const host = (e: Endpoint): ZfsHost => {
    const k = endpointKey(e);
    let h = zfs.get(k);
    if (!h) zfs.set(k, (h = new ZfsHost(e, c.runner)));
    return h;
  };
  const spec = (e: Endpoint, argv: readonly string[]) => ({ argv: c.runner.resolve(argv, e), name: c.ctx.printable(e, argv) });
  const local = (argv: readonly string[]) => ({ argv: [...argv], name: shellJoin(argv) });
  return {
    openStore: async (loc, o) => {
      const { openStore } = await import('../../adapters/store/open-store.js');
      return openStore(locationLabel(loc), {
        ...(o.s3 ? { s3: o.s3 } : {}),
        ...(o.chunkSize ? { chunkSize: o.chunkSize } : {}),
        env,
        signal: c.stop,
      });
    },
    listSnapshots: (e, roots) => listSourceSnapshots(c.runner, e, roots),
    canEstimate: async (e) => (await host(e).capabilities()).sendEstimate,
    estimate: (e, argv) => new ReplicationZfs(e, c.runner).estimate(argv),
    send: (e, argv, compress) => sendSource(spec(e, argv), compress ? local(compress) : undefined, c.stop),
    receive: (e, argv, decompress) => receiveSink(spec(e, argv), decompress ? local(decompress) : undefined, c.stop),
    mount: async (e, dataset) => {
      const r = await c.runner.run({ argv: ['zfs', 'mount', dataset], endpoint: e, mutates: true });
      if (r.exitCode !== 0 && !/already mounted/.test(r.stderr))
        throw new Error(r.stderr.trim().split('\n').pop() ?? `zfs mount exited ${r.exitCode}`);
    },
    hold: (e, tag, snaps) => new ReplicationZfs(e, c.runner).hold(tag, snaps),
    release: (e, tag, snaps) => new ReplicationZfs(e, c.runner).release(tag, snaps),
    loadKey: (source) => loadKey(source, env),
    // A StoreKey handed back is always the EncryptionKey loadKey made (the port hides the bytes).
    encrypt: (key) => new EncryptStream(key as EncryptionKey),
    decrypt: (key) => new DecryptStream(key as EncryptionKey),
    hasTool: (program) => onPath(program, env),
    lock: (name) => lockOrBusy(lockDir, name, (path) => path),
    verifier: (expected, what) => new VerifyStream(expected, what),
  };
}

// What status, restore and verify start from: the store's settings (from the config when there
// is one: an emergency restore on a fresh machine needs none), a composed run and the ports.
export async function storeSetup(
  env: CommandEnv,
  dest: string,
): Promise<{ file: PolicyFile; cfg: StoreTarget; composed: Composed; ports: StorePorts }> {
  let loc;
  try {
    loc = parseStoreLocation(dest);
  } catch (e) {
    if (e instanceof StoreLocationError) throw new UsageError(e.message);
    throw e;
  }
  const file = existsSync(env.g.config) ? await env.config() : emptyPolicy(env.g.config);
  const composed = await env.app(sshSettingsFrom(file));
  return { file, cfg: storeTarget(file, loc), composed, ports: storePorts(composed, env.g.lockDir) };
}

// Errors a user can act on (the store does not answer, refuses the credentials, a key does not
// load, zfs fails): one line and exit 1, never "internal error".
export function isStoreProblem(e: unknown): e is Error {
  return e instanceof Error && /Store|S3|Key|Crypto|Zfs|Ssh|Integrity|Format/.test(e.name);
}

// The store branch of `holdfast send` (cli/commands/send-run.ts): upload to every store
// destination (of the config, or the one of -s/-d), then prune each. Returns the reports and the
// text to print (--dry-run plan, --explain, or --json).
export async function sendToStores(
  env: CommandEnv,
  c: Composed,
  jobs: readonly StoreJob[],
  explain = false,
): Promise<{ reports: StoreSendReport[]; failures: Failure[]; busy: string[]; text: string; json: unknown[] }> {
  const reports = await runStoreJobs(c.ctx, storePorts(c, env.g.lockDir), jobs);
  if (reports.length > 0) c.ctx.log[reports.some((r) => r.failures.length > 0) ? 'error' : 'info'](storeSummary(reports, env.g.dryRun));
  const lines = env.g.dryRun ? reports.flatMap(renderStoreSendPlan) : [];
  if (explain) lines.push(...reports.flatMap(renderStoreExplain));
  return {
    reports,
    failures: reports.flatMap((r) => r.failures),
    busy: reports.filter((r) => r.status === 'busy').map((r) => r.label),
    text: lines.length > 0 ? `${lines.join('\n')}\n` : '',
    json: reports.map(storeSendJson),
  };
}

// "send: uploaded 3 snapshots (12.1 MiB stored) to 1 store, deleted 2 objects; 0 failed".
function storeSummary(reports: readonly StoreSendReport[], dryRun: boolean): string {
  const uploads = reports.flatMap((r) => r.datasets.flatMap((d) => d.uploads));
  const stored = uploads.reduce((n, u) => n + (u.storedBytes ?? 0), 0);
  const deleted = reports.reduce(
    (n, r) => n + (dryRun ? (r.prune?.plans.reduce((m, p) => m + p.deletes.length, 0) ?? 0) : (r.prune?.deleted.length ?? 0)),
    0,
  );
  const failed = [...new Set(reports.flatMap((r) => r.failures.map((f) => f.target)))];
  const n = reports.length;
  return `send: ${dryRun ? 'would upload' : 'uploaded'} ${uploads.length} snapshot${uploads.length === 1 ? '' : 's'}${dryRun ? '' : ` (${bytesText(stored)} stored)`} to ${n} store${n === 1 ? '' : 's'}, ${dryRun ? 'would delete' : 'deleted'} ${deleted} object${deleted === 1 ? '' : 's'}; ${failed.length} failed${failed.length ? `: ${failed.join(', ')}` : ''}`;
}

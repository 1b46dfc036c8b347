import { existsSync } from 'node:fs';
import { CryptoError } from '../../adapters/crypto/errors.js';
import { DecryptStream, EncryptStream, type EncryptionKey, loadKey } from '../../adapters/crypto/index.js';
import { shellJoin } from '../../adapters/exec/shell-quote.js';
import { onPath } from '../../adapters/exec/tools.js';
import { lockOrBusy } from '../../adapters/lock/flock.js';
import { StoreError } from '../../adapters/store/errors.js';
import { VerifyStream } from '../../adapters/store/verify-stream.js';
import { listSourceSnapshots } from '../../adapters/store/zfs-snapshots.js';
import { receiveSink, sendSource } from '../../adapters/store/zfs-pipe.js';
import { zfsArgv, zfsSendEstimate } from '../../adapters/zfs/commands.js';
import { ZfsError } from '../../adapters/zfs/errors.js';
import { parseStoreLocation } from '../../app/store/config.js';
import type { StorePorts } from '../../app/store/ports.js';
import type { StoreSendReport } from '../../app/store/send.js';
import { type StoreJob, runStoreJobs } from '../../app/store/jobs.js';
import type { Failure } from '../../app/failures.js';
import type { LogEvent } from '../../app/ports.js';
import { emptyPolicy } from '../../config/normalize.js';
import type { PolicyFile } from '../../config/policy-file.js';
import { type StoreTarget, storeTarget } from '../../config/sections/store.js';
import type { Endpoint } from '../../domain/endpoint.js';
import { locationLabel } from '../../domain/location.js';
import type { Composed } from './index.js';
import type { CommandEnv } from './env.js';
import { renderStoreExplain, renderStoreSendPlan, storeSendJson } from '../render/store-ops.js';
import { sshSettingsFrom } from './ssh.js';

// The store use cases' ports, wired from a composed run (its runner, ssh connections and zfs
// hosts). The AWS SDK loads only when an s3:// store is opened.
export function storePorts(c: Composed, lockDir: string, env: NodeJS.ProcessEnv = process.env): StorePorts {
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
    canEstimate: async (e) => (await c.zfs.host(e).capabilities()).sendEstimate,
    estimate: (e, send) => c.zfs.replication(e).estimate(zfsSendEstimate(send)),
    send: (e, send, compress, limit) =>
      sendSource(spec(e, zfsArgv(send)), compress ? local(compress) : undefined, c.stop, limit ? local(limit) : undefined),
    receive: (e, receive, decompress) => receiveSink(spec(e, zfsArgv(receive)), decompress ? local(decompress) : undefined, c.stop),
    zfs: c.zfs.replication,
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
  const loc = parseStoreLocation(dest); // a StoreLocationError is a usage error (exit 2)
  const file = existsSync(env.g.config) ? await env.config() : emptyPolicy(env.g.config);
  const composed = await env.app(sshSettingsFrom(file));
  return { file, cfg: storeTarget(file, loc), composed, ports: storePorts(composed, env.g.lockDir) };
}

// Errors a user can act on (the store does not answer, refuses the credentials, a key does not
// load, zfs or ssh fails): one line and exit 1, never "internal error".
export function isStoreProblem(e: unknown): e is Error {
  return e instanceof StoreError || e instanceof CryptoError || e instanceof ZfsError;
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
  if (reports.length > 0) c.ctx.log.event(storeSummary(reports, env.g.dryRun));
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

// The closing line of a send to stores: "send: uploaded 3 snapshots (12.1 MiB stored) to 1 store,
// deleted 2 objects; 0 failed".
function storeSummary(reports: readonly StoreSendReport[], dryRun: boolean): LogEvent {
  const uploads = reports.flatMap((r) => r.datasets.flatMap((d) => d.uploads));
  const deleted = reports.reduce(
    (n, r) => n + (dryRun ? (r.prune?.plans.reduce((m, p) => m + p.deletes.length, 0) ?? 0) : (r.prune?.deleted.length ?? 0)),
    0,
  );
  return {
    kind: 'store-summary',
    dryRun,
    uploads: uploads.length,
    storedBytes: uploads.reduce((n, u) => n + (u.storedBytes ?? 0), 0),
    stores: reports.length,
    deleted,
    failed: [...new Set(reports.flatMap((r) => r.failures.map((f) => f.target)))],
  };
}

import type { BatchOutcome, SnapshotHost, ZfsCapabilities } from '../../app/ports.js';
import type { DestroyBatch } from '../../domain/snap/clean.js';
import type { Endpoint } from '../../domain/endpoint.js';
import type { HostState } from '../../domain/host-state.js';
import type { SnapshotBatch } from '../../domain/snap/take.js';
import type { ZfsSingle } from '../../domain/zfs-command.js';
import type { CommandRunner, RunResult } from '../exec/runner.js';
import { applyOverride, capabilitiesFromVersion } from './capabilities.js';
import { zfsArgv, zfsGet, zfsHolds, zfsListBookmarks, zfsListNames, zfsVersion, zpoolList } from './commands.js';
import { parseBookmarkList } from './parse-get.js';
import { ZfsError, classifyZfsError } from './errors.js';
import { BASE_PROPS, parseGetOutput, topRoots } from './parse-get.js';

// zfs on one host (local or over ssh): the snap cycle's batches as commands, plus typed errors.
// Nothing here decides what to do; the use cases pass batches computed by the pure planners.
export class ZfsHost implements SnapshotHost {
  private caps: Promise<ZfsCapabilities> | undefined;

  constructor(
    readonly endpoint: Endpoint,
    private readonly runner: CommandRunner,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  // Probed once per host per run, and cached with its error (a dead host stays dead).
  capabilities(): Promise<ZfsCapabilities> {
    this.caps ??= this.exec(zfsVersion(), false).then((r) => {
      if (r.exitCode === 255 || r.exitCode === 127) throw classifyZfsError(r.stderr, zfsVersion(), r.exitCode, r.sshFix);
      return applyOverride(capabilitiesFromVersion(r.exitCode, r.stdout, r.stderr), this.env);
    });
    return this.caps;
  }

  // The whole state under `roots` in one call: datasets, snapshots, creation order, holds.
  async listState(roots: readonly string[], extraProps: readonly string[] = []): Promise<HostState> {
    const argv = zfsGet([...BASE_PROPS, ...extraProps], topRoots(roots), true);
    const r = await this.exec(argv, false);
    const state = parseGetOutput(r.stdout, r.stderr);
    if (r.exitCode !== 0 && state.missing.length === 0) throw classifyZfsError(r.stderr, argv, r.exitCode, r.sshFix);
    return state;
  }

  argvFor(batch: SnapshotBatch | DestroyBatch): string[] {
    return zfsArgv(commandOf(batch));
  }

  // Take one batch; if a call covering several datasets fails, try each dataset on its own so
  // one vanished or busy dataset does not cost the others their snapshot.
  async snapshot(batch: SnapshotBatch): Promise<BatchOutcome> {
    const argv = this.argvFor(batch);
    const r = await this.exec(argv, true);
    if (r.exitCode === 0) return { ok: batch.covers, failed: [] };
    const error = classifyZfsError(r.stderr, argv, r.exitCode, r.sshFix);
    if (batch.covers.length === 1 || isConnectionError(error)) return { ok: [], failed: batch.covers.map((target) => ({ target, error })) };
    return this.oneByOne(
      batch.covers.map((d): [string, ZfsSingle] => [d, { op: 'snapshot', snapshots: [`${d}@${batch.snapName}`], recursive: false }]),
    );
  }

  async destroy(batch: DestroyBatch): Promise<BatchOutcome> {
    const argv = this.argvFor(batch);
    const r = await this.exec(argv, true);
    const targets = batch.covers.map((c) => `${c.dataset}@${c.name}`);
    if (r.exitCode === 0) return { ok: targets, failed: [] };
    const error = classifyZfsError(r.stderr, argv, r.exitCode, r.sshFix);
    if (targets.length === 1 || isConnectionError(error)) return { ok: [], failed: targets.map((target) => ({ target, error })) };
    return this.oneByOne(
      batch.covers.map((c): [string, ZfsSingle] => [
        `${c.dataset}@${c.name}`,
        { op: 'destroy', dataset: c.dataset, names: [c.name], recursive: false },
      ]),
    );
  }

  // Hold tags per snapshot, where the host can list them (OpenZFS `zfs holds`).
  async bookmarks(roots: readonly string[]): Promise<ReadonlyMap<string, readonly { name: string; guid: string }[]>> {
    if (roots.length === 0 || !(await this.capabilities()).bookmarks) return new Map();
    const argv = zfsListBookmarks(topRoots(roots));
    const r = await this.exec(argv, false);
    if (r.exitCode !== 0 && !/dataset does not exist/.test(r.stderr)) throw classifyZfsError(r.stderr, argv, r.exitCode, r.sshFix);
    return parseBookmarkList(r.stdout);
  }

  async holdTags(snapshots: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>> {
    const tags = new Map<string, string[]>();
    if (snapshots.length === 0 || !(await this.capabilities()).holdsList) return tags;
    const r = await this.exec(zfsHolds(snapshots), false);
    for (const line of r.stdout.split('\n')) {
      const [snap, tag] = line.split('\t');
      if (!snap || !tag) continue;
      tags.set(snap, [...(tags.get(snap) ?? []), tag]);
    }
    return tags;
  }

  // Which of these datasets exist, and which pools there are (doctor): zfs's own answers.
  listNames(names: readonly string[], timeoutMs?: number): Promise<RunResult> {
    return this.exec(zfsListNames(names), false, timeoutMs);
  }

  pools(timeoutMs?: number): Promise<RunResult> {
    return this.exec(zpoolList(), false, timeoutMs);
  }

  // Each target with its own command.
  private async oneByOne(each: readonly (readonly [string, ZfsSingle])[]): Promise<BatchOutcome> {
    const ok: string[] = [];
    const failed: { target: string; error: Error }[] = [];
    for (const [t, command] of each) {
      const argv = zfsArgv(command);
      const r = await this.exec(argv, true);
      if (r.exitCode === 0) ok.push(t);
      else failed.push({ target: t, error: classifyZfsError(r.stderr, argv, r.exitCode, r.sshFix) });
    }
    return { ok, failed };
  }

  private exec(argv: string[], mutates: boolean, timeoutMs?: number): Promise<RunResult> {
    return this.runner.run({ argv, endpoint: this.endpoint, mutates, ...(timeoutMs ? { timeoutMs } : {}) });
  }
}

// A batch of the snap cycle as one command: a snapshot of several datasets (atomic on OpenZFS)
// or of a subtree (-r), or the destruction of several snapshots of one dataset (commas: OpenZFS).
function commandOf(batch: SnapshotBatch | DestroyBatch): ZfsSingle {
  if (batch.kind === 'snapshot')
    return { op: 'snapshot', snapshots: batch.targets.map((t) => `${t}@${batch.snapName}`), recursive: batch.recursive };
  return { op: 'destroy', dataset: batch.dataset, names: batch.snapNames, recursive: batch.recursive };
}

function isConnectionError(e: ZfsError): boolean {
  return e.exitCode === 255 || e.name === 'SshError';
}

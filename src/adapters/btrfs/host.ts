import { posix } from 'node:path';
import type { BatchOutcome, Logger, SnapshotHost, StoreCapabilities } from '../../app/ports.js';
import type { DestroyBatch } from '../../domain/snap/clean.js';
import type { Endpoint } from '../../domain/endpoint.js';
import type { DatasetState, HostState } from '../../domain/host-state.js';
import type { SnapshotBatch } from '../../domain/snap/take.js';
import type { CommandRunner } from '../exec/runner.js';
import { BtrfsCli } from './cli.js';
import { subvolumeDelete, subvolumeSnapshot } from './commands.js';
import { SnapshotDirClashError } from '../../app/btrfs/ports.js';
import { BtrfsError } from './errors.js';
import { type Holds, HoldsFileError, UNREADABLE_HOLDS, holdsPath, parseHolds } from './holds-file.js';

// Where a subvolume's snapshots live (from the config's snapshot_dir), resolved per subvolume.
export type SnapshotDirOf = (subvolume: string) => Promise<string>;

// btrfs subvolumes as a snapshot store for the snap cycle: a "dataset" is a subvolume path, its
// snapshots are the read-only subvolumes in its snapshot directory, and creation order is the
// btrfs generation they were created in. Snapshots never cover nested subvolumes (btrfs shows
// those as empty directories), so the planners get `recursive: false`.
export class BtrfsHost implements SnapshotHost {
  private caps: Promise<StoreCapabilities> | undefined;
  private readonly cli: BtrfsCli;
  private readonly dirs = new Map<string, { dir: string; exists: boolean }>();

  constructor(
    readonly endpoint: Endpoint,
    runner: CommandRunner,
    private readonly snapshotDirOf: SnapshotDirOf,
    private readonly log?: Logger,
  ) {
    this.cli = new BtrfsCli(endpoint, runner);
  }

  // One `btrfs --version` per host per run, cached with its error.
  capabilities(): Promise<StoreCapabilities> {
    this.caps ??= this.cli
      .version()
      .then((version) => ({ flavor: 'btrfs', version, multiSnapshot: false, commaDestroy: true, recursive: false }));
    return this.caps;
  }

  // Per subvolume: prove it is one (`btrfs subvolume show`), then list its snapshot directory.
  // A path that is not a subvolume, or whose snapshot directory another subvolume uses too, is
  // logged and left out of the state (the snap cycle then counts it as failed); others go on.
  async listState(roots: readonly string[]): Promise<HostState> {
    const datasets = new Map<string, DatasetState>();
    const missing: string[] = [];
    for (const root of new Set(roots)) {
      let uuid: string;
      let dir: string;
      try {
        uuid = (await this.cli.show(root)).uuid;
        dir = await this.snapshotDirOf(root);
      } catch (e) {
        if (!(e instanceof BtrfsError || e instanceof SnapshotDirClashError)) throw e;
        // A BtrfsError names the path it was about already ("/x: Not a Btrfs subvolume …").
        const message = e instanceof BtrfsError && e.message.startsWith(`${root}: `) ? e.message.slice(root.length + 2) : e.message;
        this.log?.event({ kind: 'failed', stage: 'list', target: `btrfs:${root}`, message });
        missing.push(root);
        continue;
      }
      const listed = await this.cli.listIn(dir, true);
      this.dirs.set(root, { dir, exists: listed !== undefined });
      // btrfs-send's bases, held in the holds file, count as holds (clean keeps them).
      const holds = listed && listed.length > 0 ? await this.holdsIn(dir) : {};
      const snapshots = (listed ?? []).map((s) => {
        const tags = holds === 'unreadable' ? [UNREADABLE_HOLDS] : (holds[s.name] ?? []);
        return {
          dataset: root,
          name: s.name,
          createtxg: s.order,
          guid: s.row.uuid,
          userrefs: tags.length,
          ...(tags.length ? { holdTags: tags } : {}),
        };
      });
      datasets.set(root, { name: root, type: 'filesystem', snapshots, props: { uuid, snapshot_dir: dir } });
    }
    return { datasets, missing };
  }

  // A holds file that cannot be read holds everything in its directory (logged, with what to do).
  private async holdsIn(dir: string): Promise<Holds | 'unreadable'> {
    try {
      return parseHolds(await this.cli.readText(holdsPath(dir)), holdsPath(dir));
    } catch (e) {
      if (!(e instanceof HoldsFileError)) throw e;
      this.log?.event({ kind: 'holds-unreadable', message: e.message });
      return 'unreadable';
    }
  }

  argvFor(batch: SnapshotBatch | DestroyBatch): readonly string[] {
    if (batch.kind === 'snapshot') {
      const root = batch.targets[0]!;
      return subvolumeSnapshot(root, posix.join(this.dirOf(root), batch.snapName), true);
    }
    return subvolumeDelete(batch.snapNames.map((n) => posix.join(this.dirOf(batch.dataset), n)));
  }

  // One read-only snapshot per subvolume (the planners never batch btrfs targets).
  async snapshot(batch: SnapshotBatch): Promise<BatchOutcome> {
    const ok: string[] = [];
    const failed: { target: string; error: Error }[] = [];
    for (const root of batch.covers) {
      try {
        await this.ensureDir(root);
        await this.cli.snapshot(root, posix.join(this.dirOf(root), batch.snapName), true);
        ok.push(root);
      } catch (e) {
        failed.push({ target: root, error: e instanceof Error ? e : new Error(String(e)) });
      }
    }
    return { ok, failed };
  }

  // All doomed snapshots of one subvolume in one `btrfs subvolume delete`.
  async destroy(batch: DestroyBatch): Promise<BatchOutcome> {
    const dir = this.dirOf(batch.dataset);
    const full = new Map(batch.covers.map((c) => [posix.join(dir, c.name), `${c.dataset}@${c.name}`]));
    const r = await this.cli.delete([...full.keys()]);
    return { ok: r.ok.map((p) => full.get(p)!), failed: r.failed.map((f) => ({ target: full.get(f.target)!, error: f.error })) };
  }

  // btrfs has no holds.
  async holdTags(): Promise<ReadonlyMap<string, readonly string[]>> {
    return new Map();
  }

  private dirOf(root: string): string {
    const d = this.dirs.get(root);
    if (!d) throw new Error(`internal: btrfs:${root} was not listed before use`);
    return d.dir;
  }

  // The first snapshot creates the directory: a subvolume of its own, so that snapshots of the
  // subvolume show it as one empty directory instead of a placeholder per older snapshot.
  private async ensureDir(root: string): Promise<void> {
    const d = this.dirs.get(root)!;
    if (d.exists) return;
    const parent = posix.dirname(d.dir);
    if (parent !== root) await this.cli.mkdirp(parent);
    await this.cli.createSubvolume(d.dir);
    this.log?.event({ kind: 'snapshot-dir-created', dir: d.dir, subvolume: root });
    this.dirs.set(root, { ...d, exists: true });
  }
}

import { posix } from 'node:path';
import type { BatchOutcome } from '../../app/ports.js';
import type { Endpoint } from '../../domain/endpoint.js';
import type { CommandRunner, RunResult } from '../exec/runner.js';
import { type BtrfsError, PathMissingError, TargetExistsError, classifyBtrfsError } from './errors.js';
import { type Mount, locate, parseFindmnt } from './mounts.js';
import { type SubvolumeRow, inCreationOrder, parseSubvolumeList, rowsDirectlyIn } from './parse-list.js';
import { HoldsFileError } from './holds-file.js';
import { btrfsVersion, mkdirp, subvolumeCreate, subvolumeDelete, subvolumeList, subvolumeShow, subvolumeSnapshot } from './commands.js';

// A subvolume found directly in a directory, with its creation order.
export interface ListedSubvolume {
  readonly name: string;
  readonly path: string; // absolute
  readonly order: number;
  readonly row: SubvolumeRow;
}

export type PathKind = 'missing' | 'subvolume' | 'directory' | 'other';

// btrfs-progs (and the two helpers it needs: stat, findmnt) on one host, as argv arrays through
// the runner. Typed errors, no decisions: the use cases say what to create and delete.
export class BtrfsCli {
  private mountTable: Promise<Mount[]> | undefined;

  constructor(
    readonly endpoint: Endpoint,
    private readonly runner: CommandRunner,
  ) {}

  // "6.2" from "btrfs-progs v6.2"; throws BtrfsNotFoundError when btrfs-progs is missing.
  async version(): Promise<string | undefined> {
    const argv = btrfsVersion();
    const r = await this.exec(argv, false);
    if (r.exitCode !== 0) throw classifyBtrfsError(r.stderr, argv, r.exitCode, 'btrfs --version');
    return /v?(\d+\.\d+(?:\.\d+)?)/.exec(r.stdout)?.[1];
  }

  // The mount table, read once per run (which filesystem and which part of it a path is on).
  mounts(): Promise<Mount[]> {
    this.mountTable ??= this.exec(['findmnt', '-J', '-l', '-o', 'TARGET,FSROOT,FSTYPE'], false).then((r) => {
      if (r.exitCode !== 0) throw new Error(`findmnt failed: ${r.stderr.trim() || `exit ${r.exitCode}`} (install util-linux)`);
      return parseFindmnt(r.stdout);
    });
    return this.mountTable;
  }

  // The filesystem type a path is on ("btrfs"), from the mount table.
  async fsTypeOf(path: string): Promise<string | undefined> {
    return locate(path, await this.mounts())?.mount.fstype;
  }

  // What is at `path`: nothing, a btrfs subvolume (inode 256 on btrfs), a directory, or other.
  async kindOf(path: string): Promise<PathKind> {
    const r = await this.exec(['stat', '-c', '%F|%i', '--', path], false);
    if (r.exitCode !== 0) {
      if (/No such file or directory/.test(r.stderr)) return 'missing';
      throw new Error(`stat ${path}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
    }
    const [type, ino] = r.stdout.trim().split('|');
    if (type !== 'directory') return 'other';
    return ino === '256' && (await this.fsTypeOf(path)) === 'btrfs' ? 'subvolume' : 'directory';
  }

  // `btrfs subvolume show`: proves `path` is a subvolume; its UUID.
  async show(path: string): Promise<{ uuid: string }> {
    const argv = subvolumeShow(path);
    const r = await this.exec(argv, false);
    if (r.exitCode !== 0) throw classifyBtrfsError(r.stderr, argv, r.exitCode, path);
    return { uuid: /^\s*UUID:\s*(\S+)/m.exec(r.stdout)?.[1] ?? '' };
  }

  // The subvolumes directly in `dir`, oldest first; undefined when `dir` does not exist.
  async listIn(dir: string, readonlyOnly: boolean): Promise<ListedSubvolume[] | undefined> {
    const argv = subvolumeList(dir, readonlyOnly);
    const r = await this.exec(argv, false);
    if (r.exitCode !== 0) {
      const e = classifyBtrfsError(r.stderr, argv, r.exitCode, dir);
      if (e instanceof PathMissingError) return undefined;
      throw e;
    }
    const where = locate(dir, await this.mounts());
    if (!where) throw new Error(`${dir}: not on any mounted filesystem`);
    const direct = rowsDirectlyIn(parseSubvolumeList(r.stdout), where.fsPath);
    const byRow = new Map([...direct].map(([name, row]) => [row, name]));
    return inCreationOrder([...direct.values()]).map(({ row, order }) => {
      const name = byRow.get(row)!;
      return { name, path: posix.join(dir, name), order, row };
    });
  }

  async createSubvolume(path: string): Promise<void> {
    await this.must(subvolumeCreate(path), path);
  }

  // A snapshot at exactly `target`. btrfs would put it *inside* `target` if that were an existing
  // directory, so an existing target is refused first.
  async snapshot(source: string, target: string, readonly: boolean): Promise<void> {
    const argv = subvolumeSnapshot(source, target, readonly);
    const kind = await this.kindOf(target);
    if (kind !== 'missing') throw new TargetExistsError(`${target}: exists already (as a ${kind}) (not overwritten)`, '', argv, 1);
    await this.must(argv, target);
  }

  // Delete subvolumes in one call; when it fails, find out which are gone and report the rest
  // one by one, each with its own error.
  async delete(paths: readonly string[]): Promise<BatchOutcome> {
    if (paths.length === 0) return { ok: [], failed: [] };
    const r = await this.exec(subvolumeDelete(paths), true);
    if (r.exitCode === 0) return { ok: paths, failed: [] };
    const said = r.stdout.split('\n');
    const gone = paths.filter((p) => said.some((l) => l.startsWith('Delete subvolume') && l.endsWith(`: '${p}'`)));
    const ok: string[] = [...gone];
    const failed: { target: string; error: Error }[] = [];
    for (const p of paths.filter((q) => !gone.includes(q))) {
      const argv = subvolumeDelete([p]);
      const one = await this.exec(argv, true);
      if (one.exitCode === 0) ok.push(p);
      else failed.push({ target: p, error: classifyBtrfsError(one.stderr, argv, one.exitCode, p) });
    }
    return { ok, failed };
  }

  async mkdirp(path: string): Promise<void> {
    const r = await this.exec(mkdirp(path), true);
    if (r.exitCode !== 0) throw new Error(`mkdir -p ${path}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  }

  // A small text file's content, or undefined when it does not exist (e.g. the holds file).
  // A small text file's content; undefined when there is no such file, an error when it cannot be read.
  async readText(path: string): Promise<string | undefined> {
    const r = await this.exec(['cat', '--', path], false);
    if (r.exitCode === 0) return r.stdout;
    if (/No such file or directory/.test(r.stderr)) return undefined;
    throw new HoldsFileError(path, `cannot be read (${r.stderr.trim() || `cat exit ${r.exitCode}`})`);
  }

  // Replace a small text file atomically (write a temp file beside it, then rename).
  async writeText(path: string, text: string): Promise<void> {
    const argv = ['sh', '-c', 'cat > "$1.tmp" && mv -f -- "$1.tmp" "$1"', 'sh', path];
    const r = await this.runner.run({ argv, endpoint: this.endpoint, mutates: true, input: text });
    if (r.exitCode !== 0) throw new Error(`cannot write ${path}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  }

  private async must(argv: string[], about: string): Promise<void> {
    const r = await this.exec(argv, true);
    if (r.exitCode !== 0) throw classifyBtrfsError(r.stderr, argv, r.exitCode, about) satisfies BtrfsError;
  }

  private exec(argv: string[], mutates: boolean): Promise<RunResult> {
    return this.runner.run({ argv, endpoint: this.endpoint, mutates });
  }
}

import type { BtrfsReplicaPort, BtrfsTransfer, ReplicaSubvolume, TransferOutcome } from '../../app/btrfs/ports.js';
import type { BatchOutcome } from '../../app/ports.js';
import { type Endpoint, endpointKey } from '../../domain/endpoint.js';
import type { CommandRunner } from '../exec/runner.js';
import type { SshConnections } from '../exec/ssh.js';
import { COMPRESSORS } from '../exec/tools.js';
import { type Pipeline, type Stage, printPipeline } from '../pipeline/pipeline.js';
import { runPipeline } from '../pipeline/run.js';
import { BtrfsCli } from './cli.js';
import { btrfsReceive, btrfsSend, mkdirp, subvolumeDelete } from './commands.js';
import { holdsPath, moveHold, parseHolds, pruneHolds } from './holds-file.js';

// btrfs send/receive between two hosts (or two places on one), through the same pipeline
// runner as zfs send: argv stages, ssh quoting in one place, per-stage exit status and blame.
export class BtrfsReplica implements BtrfsReplicaPort {
  private readonly clis = new Map<string, BtrfsCli>();

  constructor(
    private readonly runner: CommandRunner,
    private readonly ssh: SshConnections,
    private readonly pdeathsig = false,
  ) {}

  // What mkdirp() and delete() run.
  readonly argv = { mkdirp, delete: subvolumeDelete };

  // All subvolumes directly in `dir` (unfinished receives included), with their read-only flag.
  async list(e: Endpoint, dir: string): Promise<readonly ReplicaSubvolume[] | undefined> {
    const all = await this.cli(e).listIn(dir, false);
    if (!all) return undefined;
    const ro = new Set(((await this.cli(e).listIn(dir, true)) ?? []).map((s) => s.name));
    return all.map((s) => ({
      name: s.name,
      uuid: s.row.uuid,
      order: s.order,
      readonly: ro.has(s.name),
      ...(s.row.receivedUuid ? { receivedUuid: s.row.receivedUuid } : {}),
    }));
  }

  mkdirp(e: Endpoint, dir: string): Promise<void> {
    return this.cli(e).mkdirp(dir);
  }

  delete(e: Endpoint, paths: readonly string[]): Promise<BatchOutcome> {
    return this.cli(e).delete(paths);
  }

  async hold(e: Endpoint, dir: string, tag: string, snapshot: string): Promise<void> {
    const cli = this.cli(e);
    const existing = new Set(((await cli.listIn(dir, true)) ?? []).map((s) => s.name));
    const holds = pruneHolds(moveHold(parseHolds(await cli.readText(holdsPath(dir)), holdsPath(dir)), tag, snapshot), existing);
    await cli.writeText(holdsPath(dir), `${JSON.stringify(holds, null, 1)}\n`);
  }

  describe(t: BtrfsTransfer): string {
    return printPipeline(pipelineOf(t), (e) => this.ssh.shown(e));
  }

  async transfer(t: BtrfsTransfer): Promise<TransferOutcome> {
    const r = await runPipeline(pipelineOf(t), {
      ssh: (e, remote) => this.ssh.argv(e, remote),
      pdeathsig: this.pdeathsig,
      ...(this.runner.stop ? { signal: this.runner.stop } : {}),
      onSpawn: (p) => this.runner.spawned.set(p, (this.runner.spawned.get(p) ?? 0) + 1),
    });
    if (r.ok) return { ok: true, ms: r.ms };
    const f = r.failed!;
    const said = f.stderr
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-2)
      .join('; ')
      .replace(/^ERROR:\s*/, '');
    return { ok: false, message: `${f.name} failed (exit ${f.code ?? 'unknown'})${said ? `: ${said}` : ''}` };
  }

  private cli(e: Endpoint): BtrfsCli {
    const k = endpointKey(e);
    let c = this.clis.get(k);
    if (!c) this.clis.set(k, (c = new BtrfsCli(e, this.runner)));
    return c;
  }
}

// btrfs send | [compress] | [decompress] | btrfs receive; compression only when the stream
// crosses a network (pyznap's rule), its two halves on the two ends.
export function pipelineOf(t: BtrfsTransfer): Pipeline {
  const src = t.source.endpoint;
  const dst = t.dest.endpoint;
  const c = t.compress && endpointKey(src) !== endpointKey(dst) ? COMPRESSORS.get(t.compress) : undefined;
  const stages: Stage[] = [
    { argv: btrfsSend(t.source.path, t.parent), endpoint: src, role: 'send' },
    ...(c
      ? [
          { argv: c.compress, endpoint: src, role: 'compress' as const },
          { argv: c.decompress, endpoint: dst, role: 'decompress' as const },
        ]
      : []),
    { argv: btrfsReceive(t.dest.dir), endpoint: dst, role: 'receive' },
  ];
  return { stages };
}

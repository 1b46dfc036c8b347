import type { PipelineOutcome, TransferWatch } from '../../app/send/ports.js';
import type { Endpoint, SshEndpoint } from '../../domain/endpoint.js';
import { type HostZfs, onHost } from '../../domain/host-zfs.js';
import { type Pipeline, printPipeline } from './pipeline.js';
import { runPipeline } from './run.js';

// What a run's pipelines share: ssh as the run connects (the one quoting site), whether local
// stages die with holdfast (setpriv), and the run's interruption.
export interface PipelineSetup {
  readonly ssh: {
    argv(e: SshEndpoint, remote: readonly string[]): string[];
    shown(e: SshEndpoint): string[];
    readonly settings?: { readonly zfs?: (e: Endpoint) => HostZfs | undefined };
    ready(e: SshEndpoint): Promise<void>; // the host's master connection, opened once
  };
  readonly pdeathsig: boolean;
  readonly signal: AbortSignal;
}

// The send port's pipelines for one run: run and print with the run's ssh, counting every
// program started (the run's process count).
export class Pipelines {
  readonly spawned = new Map<string, number>();

  constructor(private readonly setup: PipelineSetup) {}

  readonly run = async (p: Pipeline, watch: TransferWatch = {}): Promise<PipelineOutcome> => {
    for (const s of p.stages) if (s.endpoint.kind === 'ssh') await this.setup.ssh.ready(s.endpoint);
    return runPipeline(this.onHosts(p), {
      ssh: (e, remote) => this.setup.ssh.argv(e, remote),
      pdeathsig: this.setup.pdeathsig,
      signal: this.setup.signal,
      onSpawn: (program) => this.spawned.set(program, (this.spawned.get(program) ?? 0) + 1),
      ...watch,
    });
  };

  readonly print = (p: Pipeline): string => printPipeline(this.onHosts(p), (e) => this.setup.ssh.shown(e));

  // Each zfs stage as its host starts it (zfs_path, elevate): only zfs is elevated, never the
  // pipeline's compressors, buffers or ssh.
  private onHosts(p: Pipeline): Pipeline {
    const zfs = this.setup.ssh.settings?.zfs;
    if (!zfs) return p;
    return { ...p, stages: p.stages.map((s) => ({ ...s, argv: onHost(s.argv, zfs(s.endpoint)) })) };
  }
}

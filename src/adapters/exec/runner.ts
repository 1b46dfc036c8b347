import type { Endpoint, SshEndpoint } from '../../domain/endpoint.js';
import { placeLabel } from '../../domain/endpoint.js';
import { HoldfastError } from '../../domain/errors.js';
import { hostKeyAdvice } from '../../domain/ssh-advice.js';
import { onHost } from '../../domain/host-zfs.js';
import type { Logger } from '../../app/ports.js';
import { shellJoin } from './shell-quote.js';
import type { SshConnections } from './ssh.js';
import { run } from './process.js';
import { StoppedError } from './stop-child.js';

export interface RunRequest {
  readonly argv: readonly string[];
  readonly endpoint: Endpoint;
  readonly mutates: boolean; // changes state: never run under --dry-run
  readonly input?: string;
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly exitCode: number; // 128 + N when signal N ended it, 127 when it never started
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly signal?: NodeJS.Signals;
  readonly timedOut?: true; // killed after req.timeoutMs
  readonly sshFix?: string; // ssh refused the host key: what to do (domain/ssh-advice.ts)
}

// A command that would change state reached the runner in a dry run: a bug, not a user error.
export class DryRunViolation extends HoldfastError {
  override name = 'DryRunViolation';
  constructor(cmd: string) {
    super(`internal error: dry run tried to run ${cmd}`);
  }
}

// Runs argv arrays (never a local shell), locally or over ssh, through the process layer
// (process.ts), logs each one once, and counts them so a run can report how many processes it
// spawned. Once `stop` is aborted (SIGTERM…) it ends the command running and refuses new ones
// (StoppedError).
export class CommandRunner {
  readonly spawned = new Map<string, number>(); // program → count

  constructor(
    private readonly ssh: SshConnections,
    private readonly log: Logger,
    private readonly dryRun: boolean,
    readonly stop?: AbortSignal,
  ) {}

  // The argv that really runs: local as is, remote wrapped in ssh (quoted once, there).
  // zfs as the host starts it (zfs_path, elevate).
  resolve(argv: readonly string[], endpoint: Endpoint): string[] {
    const onIt = this.onHost(argv, endpoint);
    return endpoint.kind === 'local' ? onIt : this.ssh.argv(endpoint, onIt);
  }

  // The command as it runs on its host, before any ssh: zfs with the host's zfs_path and elevate.
  onHost(argv: readonly string[], endpoint: Endpoint): string[] {
    return onHost(argv, this.ssh.settings.zfs?.(endpoint));
  }

  async run(req: RunRequest): Promise<RunResult> {
    const cmd = shellJoin(this.onHost(req.argv, req.endpoint));
    if (req.mutates && this.dryRun) throw new DryRunViolation(cmd);
    if (this.stop?.aborted) throw new StoppedError(cmd);
    if (req.endpoint.kind === 'ssh') await this.ssh.ready(req.endpoint); // the host's one master connection
    const full = this.resolve(req.argv, req.endpoint);
    this.spawned.set(req.argv[0]!, (this.spawned.get(req.argv[0]!) ?? 0) + 1);
    const t0 = performance.now();
    const result = await collect(full, req, this.stop);
    const ms = Math.round(performance.now() - t0);
    const host = req.endpoint.kind === 'local' ? {} : { host: placeLabel(req.endpoint) };
    this.log.event({ kind: 'command', ...host, command: cmd, exitCode: result.exitCode, ms });
    const sshFix = req.endpoint.kind === 'ssh' && result.exitCode === 255 ? this.sshFix(result.stderr, req.endpoint) : undefined;
    return { ...result, ms, ...(sshFix ? { sshFix } : {}) };
  }

  // What to do when ssh refused `e`'s host key, naming the known_hosts file this run's ssh reads.
  sshFix(stderr: string, e: SshEndpoint): string | undefined {
    return hostKeyAdvice(stderr, e, this.ssh.settings.options);
  }
}

// Run to the end through the process layer and collect both outputs; a program that never
// started has exit 127 and says why on stderr, as a shell would.
async function collect(argv: readonly string[], req: RunRequest, stop: AbortSignal | undefined): Promise<Omit<RunResult, 'ms'>> {
  const { exitCode, stdout, stderr, signal, timedOut } = await run(argv, { input: req.input ?? '', stop, timeoutMs: req.timeoutMs });
  return { exitCode, stdout, stderr, ...(signal ? { signal } : {}), ...(timedOut ? { timedOut } : {}) };
}

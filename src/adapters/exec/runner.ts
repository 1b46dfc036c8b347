import { spawn } from 'node:child_process';
import type { Endpoint, SshEndpoint } from '../../domain/endpoint.js';
import { placeLabel } from '../../domain/endpoint.js';
import { HoldfastError } from '../../domain/errors.js';
import { hostKeyAdvice } from '../../domain/ssh-advice.js';
import type { Logger } from '../../app/ports.js';
import { shellJoin } from './shell-quote.js';
import type { SshConnections } from './ssh.js';
import { childEnv } from './child-env.js';
import { StoppedError, stopOnAbort } from './stop-child.js';

export interface RunRequest {
  readonly argv: readonly string[];
  readonly endpoint: Endpoint;
  readonly mutates: boolean; // changes state: never run under --dry-run
  readonly input?: string;
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly sshFix?: string; // ssh refused the host key: what to do (domain/ssh-advice.ts)
}

// A command that would change state reached the runner in a dry run: a bug, not a user error.
export class DryRunViolation extends HoldfastError {
  override name = 'DryRunViolation';
  constructor(cmd: string) {
    super(`internal error: dry run tried to run ${cmd}`);
  }
}

// Runs argv arrays (never a local shell), locally or over ssh, logs each one once, and counts
// them so a run can report how many processes it spawned. Once `stop` is aborted (SIGTERM…) it
// ends the command running and refuses new ones (StoppedError).
export class CommandRunner {
  readonly spawned = new Map<string, number>(); // program → count

  constructor(
    private readonly ssh: SshConnections,
    private readonly log: Logger,
    private readonly dryRun: boolean,
    readonly stop?: AbortSignal,
  ) {}

  // The argv that really runs: local as is, remote wrapped in ssh (quoted once, there).
  resolve(argv: readonly string[], endpoint: Endpoint): string[] {
    return endpoint.kind === 'local' ? [...argv] : this.ssh.argv(endpoint, argv);
  }

  async run(req: RunRequest): Promise<RunResult> {
    const cmd = shellJoin(req.argv);
    if (req.mutates && this.dryRun) throw new DryRunViolation(cmd);
    if (this.stop?.aborted) throw new StoppedError(cmd);
    const full = this.resolve(req.argv, req.endpoint);
    this.spawned.set(req.argv[0]!, (this.spawned.get(req.argv[0]!) ?? 0) + 1);
    const t0 = performance.now();
    const result = await spawnCollect(full, req.input, req.timeoutMs, this.stop);
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

// Spawn without a shell and collect both outputs. ENOENT becomes exit 127, as a shell would say.
function spawnCollect(
  argv: readonly string[],
  input: string | undefined,
  timeoutMs: number | undefined,
  stop: AbortSignal | undefined,
): Promise<Omit<RunResult, 'ms'>> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: childEnv(),
      ...(timeoutMs ? { timeout: timeoutMs } : {}),
    });
    stopOnAbort(child, stop);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.stdin.on('error', () => undefined); // the command may exit without reading its input
    child.stdin.end(input ?? '');
    let failed: string | undefined;
    child.on('error', (e: NodeJS.ErrnoException) => {
      failed = e.code === 'ENOENT' ? `${argv[0]}: command not found` : e.message;
    });
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8') + (failed ? `${failed}\n` : '');
      const exitCode = failed && code === null ? 127 : (code ?? (signal ? 128 + signalNumber(signal) : 1));
      resolve({ exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0;
}

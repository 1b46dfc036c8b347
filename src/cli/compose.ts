import { CommandRunner } from '../adapters/exec/runner.js';
import { shellJoin } from '../adapters/exec/shell-quote.js';
import { SshConnections, type SshSettings } from '../adapters/exec/ssh.js';
import { ZfsHost } from '../adapters/zfs/zfs-host.js';
import type { AppContext } from '../app/context.js';
import type { Logger } from '../app/ports.js';
import { type Endpoint, endpointKey } from '../domain/endpoint.js';
import { systemClock } from '../infra/clock.js';
import { type Level, createLogger } from '../infra/logger.js';

export interface GlobalOptions {
  readonly config: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly logJson: boolean;
  readonly lockDir: string;
}

// A built context plus what must be closed at the end of the run.
export interface Composed {
  readonly ctx: AppContext;
  readonly runner: CommandRunner;
  readonly ssh: SshConnections;
  close(): void;
}

// The composition root: the only module that wires adapters and infra into the app.
export async function compose(g: GlobalOptions, ssh: SshSettings = {}): Promise<Composed> {
  const log: Logger = await createLogger({ level: (g.verbose ? 'debug' : 'info') as Level, json: g.logJson, now: systemClock.nowMs });
  const connections = new SshConnections(ssh);
  const runner = new CommandRunner(connections, log, g.dryRun);
  const hosts = new Map<string, ZfsHost>();
  const ctx: AppContext = {
    log,
    clock: systemClock,
    dryRun: g.dryRun,
    snapshots: (kind, e: Endpoint) => {
      if (kind !== 'zfs') throw new Error(`no snapshot store for ${kind} yet`);
      const k = endpointKey(e);
      let h = hosts.get(k);
      if (!h) hosts.set(k, (h = new ZfsHost(e, runner)));
      return h;
    },
    printable: (e, argv) => printable(e, argv),
  };
  return { ctx, runner, ssh: connections, close: () => connections.close() };
}

// A command as a user would type it: plain argv locally, `ssh [-p N] user@host '…'` remotely.
export function printable(e: Endpoint, argv: readonly string[]): string {
  if (e.kind === 'local') return shellJoin(argv);
  const dest = e.user ? `${e.user}@${e.host}` : e.host;
  return shellJoin(['ssh', ...(e.port !== undefined ? ['-p', String(e.port)] : []), dest, shellJoin(argv)]);
}

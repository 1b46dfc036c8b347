import { printer } from '../../adapters/exec/printable.js';
import { CommandRunner } from '../../adapters/exec/runner.js';
import { SshConnections, type SshSettings } from '../../adapters/exec/ssh.js';
import { ZfsHosts } from '../../adapters/zfs/hosts.js';
import type { PolicyFile } from '../../config/policy-file.js';
import type { BtrfsLayout } from '../../app/btrfs/layout.js';
import type { AppContext } from '../../app/context.js';
import type { SnapshotHost } from '../../app/ports.js';
import type { Endpoint } from '../../domain/endpoint.js';
import { systemClock } from '../../infra/clock.js';
import { createLogger } from '../../infra/logger.js';
import { eventLogger } from '../../app/log/logger.js';
import { markSecretEnv } from '../../adapters/exec/child-env.js';
import { runHookCommand } from '../../adapters/exec/hook.js';
import type { HookPort } from '../../app/hooks/ports.js';
import { commandRefusal } from './refusal.js';
import type { GlobalOptions } from '../globals.js';
import { Interruption, quietOnAbort } from '../interrupt.js';

// A built context plus what must be closed at the end of the run.
export interface Composed {
  readonly ctx: AppContext;
  readonly runner: CommandRunner;
  readonly ssh: SshConnections;
  readonly zfs: ZfsHosts; // every host's zfs, once per run
  readonly stop: AbortSignal; // aborted by SIGINT/SIGTERM/SIGHUP: adapters stop their children
  close(): void;
}

// Which adapters beyond zfs a run needs loaded before its context is built (ctx.snapshots is
// synchronous). Without btrfs, asking for a btrfs host is a bug and says so.
export interface ComposeNeeds {
  readonly btrfs: boolean;
  readonly configPath?: string; // the policy file the run read: its hooks run only if others cannot write it
}

// Whether a policy file has [btrfs:/PATH] sections (the only ones that need a btrfs host).
export const usesBtrfs = (file: PolicyFile): boolean => file.sections.some((s) => s.location?.kind === 'btrfs');

// The composition root: the only module that wires adapters and infra into the app (the
// btrfs backup and send wiring is in btrfs.ts, the stores' in store.ts).
// `policy` gives btrfs hosts their snapshot directories (read lazily, only when btrfs is used).
// `stop` is the process's interruption (cli/interrupt.ts): its signal reaches every adapter that
// starts a process, and the run's log goes quiet once it fired (the interruption has one line).
export async function compose(
  g: GlobalOptions,
  ssh: SshSettings = {},
  policy: () => Promise<PolicyFile> = async () => (await import('../../config/load.js')).loadPolicyFile(g.config),
  needs: ComposeNeeds = { btrfs: true },
  stop: Interruption = new Interruption({ what: 'holdfast' }),
): Promise<Composed> {
  const [sink, btrfs] = await Promise.all([
    createLogger({ level: g.verbose ? 'debug' : 'info', json: g.logJson, now: systemClock.nowMs }),
    needs.btrfs ? Promise.all([import('../../adapters/btrfs/host.js'), import('../../app/btrfs/layout.js')]) : undefined,
  ]);
  const log = quietOnAbort(eventLogger(sink), stop.signal);
  const connections = new SshConnections(ssh);
  const runner = new CommandRunner(connections, log, g.dryRun, stop.signal);
  const print = printer(connections);
  let layout: Promise<BtrfsLayout> | undefined;
  const btrfsHost = (e: Endpoint): SnapshotHost => {
    if (!btrfs) throw new Error('btrfs adapters were not loaded for this run (compose without needs.btrfs)');
    const [{ BtrfsHost }, { btrfsLayout }] = btrfs;
    const snapshotDirOf = async (subvolume: string): Promise<string> =>
      (await (layout ??= policy().then(btrfsLayout))).snapshotDirOf(subvolume);
    return new BtrfsHost(e, runner, snapshotDirOf, log);
  };
  const zfs = new ZfsHosts(runner, print, btrfsHost);
  const ctx: AppContext = {
    log,
    clock: systemClock,
    dryRun: g.dryRun,
    snapshots: zfs.snapshots,
    printable: print,
    during: stop.during,
    hooks: hookPort(needs.configPath, stop.signal),
  };
  return { ctx, runner, ssh: connections, zfs, stop: stop.signal, close: () => connections.close() };
}

// The run's consistency hooks: refused when the policy file is writable by others (checked
// once, when the first hook would run).
function hookPort(configPath: string | undefined, stop: AbortSignal): HookPort {
  let refused: string | undefined | null = null;
  return {
    run: (argv, env, timeoutMs) => runHookCommand(argv, env, timeoutMs, stop),
    get refused() {
      if (refused === null) refused = configPath ? commandRefusal(configPath) : undefined;
      return refused;
    },
  };
}

// Every variable the config names as a key source (`encryption_key_env`) is kept from every
// program holdfast starts, from the first one on (not only once the key is loaded).
export function keepSecretsFromChildren(file: PolicyFile): void {
  for (const name of file.secretEnv) markSecretEnv(name);
}

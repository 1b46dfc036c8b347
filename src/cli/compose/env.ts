import type { HeldLock } from '../../adapters/lock/flock.js';
import type { SshSettings } from '../../adapters/exec/ssh.js';
import type { PolicyFile } from '../../config/policy-file.js';
import type { RunOutcome } from '../../app/notify/summary.js';
import type { Clock, LogEvent } from '../../app/ports.js';
import { systemClock } from '../../infra/clock.js';
import type { Composed } from './index.js';
import type { GlobalOptions } from '../globals.js';
import { ConfigInvalidError, RunLockedError } from '../exit-codes.js';
import { Interruption } from '../interrupt.js';

// What every command body gets: output streams, the clock, config loading, locking, the app
// context (composed on first use). Everything behind them (config parser, adapters) loads on
// first use: this module is on the start-up path of every command, --version included.
export class CommandEnv {
  private composed: Composed | undefined;
  private readonly locks: HeldLock[] = [];
  // For notifications (compose/notify.ts): the file config() read (even one with errors),
  // what the command did, and when it started.
  policy: PolicyFile | undefined;
  outcome: RunOutcome | undefined;
  readonly clock: Clock = systemClock;
  readonly startedMs = this.clock.nowMs();
  // `--prometheus FILE` of snap and send: an interrupted run writes it as failed (endInterrupted).
  runFile: { readonly path: string; readonly command: 'snap' | 'send' } | undefined;

  constructor(
    readonly g: GlobalOptions,
    readonly stop: Interruption = new Interruption({ what: 'holdfast' }),
    private readonly write: (text: string) => void = (t) => process.stdout.write(t),
    readonly err: (text: string) => void = (t) => process.stderr.write(t),
  ) {}

  // stdout: plans, tables, --json. An interrupted run prints no result (it has none).
  readonly out = (text: string): void => {
    if (!this.interrupted) this.write(text);
  };

  // Stopped by a signal: the body's own reporting stands down (the interruption reports).
  get interrupted(): boolean {
    return this.stop.signal.aborted;
  }

  // The adapters load only when a command needs them (start-up stays lean for the rest); the
  // btrfs ones only when the config read so far has a [btrfs:…] section.
  async app(ssh: SshSettings = {}): Promise<Composed> {
    if (!this.composed) {
      const { compose, usesBtrfs, keepSecretsFromChildren } = await import('./index.js');
      if (this.policy) keepSecretsFromChildren(this.policy);
      this.composed = await compose(
        this.g,
        ssh,
        undefined,
        { btrfs: this.policy !== undefined && usesBtrfs(this.policy), ...(this.policy ? { configPath: this.policy.path } : {}) },
        this.stop,
      );
    }
    return this.composed;
  }

  // Load the policy file; print its problems (at most ISSUES_SHOWN, then how many more); stop
  // with exit 2 when any is an error. Warnings never stop a run (pyznap's tolerance).
  async config(path = this.g.config): Promise<PolicyFile> {
    const [{ loadPolicyFile }, { issueLines }] = await Promise.all([import('../../config/load.js'), import('../../config/issue.js')]);
    const file = await loadPolicyFile(path);
    for (const l of issueLines(file)) this.err(`${l}\n`);
    this.policy = file;
    const errors = file.counts.errors;
    if (errors > 0) {
      throw new ConfigInvalidError(
        `${path}: ${errors} error${errors === 1 ? '' : 's'}; nothing was done (run \`holdfast check\` after fixing)`,
      );
    }
    return file;
  }

  // Serialise runs of the same kind on this machine (exit 3 when held, unless --wait).
  async lock(name: string, waitSec?: number): Promise<void> {
    const { LockHeldError, acquireLock } = await import('../../adapters/lock/flock.js');
    const take = () => acquireLock(this.g.lockDir, name, { ...(waitSec === undefined ? {} : { waitSec }), signal: this.stop.signal });
    const doing = this.stop.current();
    const waiting = { ...doing, what: `${doing.what} (waiting for the lock ${this.g.lockDir}/${name}.lock)` };
    try {
      this.locks.push(await (waitSec === undefined ? take() : this.stop.during(waiting, take)));
    } catch (e) {
      throw e instanceof LockHeldError ? new RunLockedError(e.message, { cause: e }) : e;
    }
  }

  // The end of an interrupted run (cli/action.ts): the --prometheus file written as failed, then
  // the interruption's one line logged. Returns the line.
  async endInterrupted(event: Extract<LogEvent, { kind: 'interrupted' }>, exitCode: number): Promise<string> {
    const [{ createLogger }, { eventLogger }, { textOf }] = await Promise.all([
      import('../../infra/logger.js'),
      import('../../app/log/logger.js'),
      import('../../app/log/events.js'),
    ]);
    if (this.runFile) {
      const { writeRunTextfile } = await import('./prometheus.js');
      const run = {
        command: this.runFile.command,
        outcome: this.outcome,
        startedMs: this.startedMs,
        endedMs: this.clock.nowMs(),
        exitCode,
      };
      writeRunTextfile(this.runFile.path, run, (e) => this.err(`holdfast: ${textOf(e)}\n`));
    }
    eventLogger(await createLogger({ level: 'info', json: this.g.logJson, now: this.clock.nowMs })).event(event);
    return textOf(event);
  }

  close(): void {
    this.composed?.close();
    for (const l of this.locks.splice(0)) l.release();
  }
}

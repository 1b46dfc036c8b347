import { hostname } from 'node:os';
import { notifyPorts } from '../../adapters/notify/index.js';
import { messageOf } from '../../app/failures.js';
import { notifyRun } from '../../app/notify/run.js';
import { buildSummary } from '../../app/notify/summary.js';
import { systemClock } from '../../infra/clock.js';
import { createLogger } from '../../infra/logger.js';
import { eventLogger } from '../../app/log/logger.js';
import type { CommandEnv } from './env.js';
import { exitCodeOf } from '../exit-codes.js';
import { VERSION } from '../globals.js';
import { commandRefusal } from './refusal.js';

export { commandRefusal };

// The commands cron runs: they notify. Interactive and read-only ones (check, plan, status,
// restore, doctor) never do, even when they record an outcome.
export const NOTIFYING: ReadonlySet<string> = new Set(['snap', 'send', 'btrfs-send', 'backup', 'verify']);

// After a run of a notifying command: hand its summary to every configured target. A thrown
// error (lock held, config invalid, a bug) is reported as a run-wide failure. Never throws.
export async function notifyAfterRun(env: CommandEnv, command: string, code: number | undefined, error: unknown): Promise<void> {
  const file = env.policy;
  if (!NOTIFYING.has(command) || !file || env.g.dryRun) return;
  try {
    const exitCode = code ?? exitCodeOf(error);
    const outcome = env.outcome ?? { command, counts: {}, failures: [] };
    const failures =
      error === undefined ? outcome.failures : [...outcome.failures, { target: 'run', stage: command, message: messageOf(error) }];
    const summary = buildSummary({
      ...outcome,
      command,
      failures,
      version: VERSION,
      host: hostname(),
      startedMs: env.startedMs,
      endedMs: systemClock.nowMs(),
      exitCode,
    });
    const log = eventLogger(await createLogger({ level: env.g.verbose ? 'debug' : 'info', json: env.g.logJson, now: systemClock.nowMs }));
    const refused = commandRefusal(file.path);
    await notifyRun({ log, ports: notifyPorts(VERSION), ...(refused ? { commandsRefused: refused } : {}) }, file, summary);
  } catch (e) {
    process.stderr.write(`holdfast: notification skipped: ${messageOf(e)}\n`);
  }
}

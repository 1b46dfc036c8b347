import { fillUrl } from '../../config/keys/notify.js';
import type { PolicyFile } from '../../config/policy-file.js';
import { messageOf } from '../failures.js';
import type { Logger } from '../ports.js';
import type { NotifyPorts } from './ports.js';
import { redactUrl } from './redact.js';
import { type RunSummary, withFailures } from './summary.js';
import { type NotifyTarget, failuresFor, notifyTargets } from './targets.js';

export interface NotifyDeps {
  readonly log: Logger;
  readonly ports: NotifyPorts;
  // Set when notify_command must not run (the config is writable by others): the reason.
  readonly commandsRefused?: string;
  readonly httpTimeoutMs?: number;
  readonly commandTimeoutMs?: number;
}

// One attempt, for doctor and tests: where (redacted), whether it was sent, and how it went.
export interface NotifyAttempt {
  readonly where: string;
  readonly sent: boolean;
  readonly ok: boolean;
  readonly detail: string;
}

export const HTTP_TIMEOUT_MS = 5_000;
export const COMMAND_TIMEOUT_MS = 10_000;

// Tell every configured target about a finished run. Never throws and never changes the run's
// result: a failed notification is logged (URL redacted) and that is all. `always` forces
// sending whatever notify_on says (doctor --notify).
export async function notifyRun(deps: NotifyDeps, file: PolicyFile, summary: RunSummary, always = false): Promise<NotifyAttempt[]> {
  const targets = notifyTargets(file);
  return Promise.all(
    targets.map(async (t) => {
      const s = withFailures(summary, failuresFor(file, t, summary.failures));
      const where = describeTarget(t);
      if (!always && t.on === 'failure' && s.status === 'ok')
        return { where, sent: false, ok: true, detail: 'nothing failed (notify_on = failure)' };
      try {
        const r = await send(deps, t, s);
        deps.log.event(
          r.ok ? { kind: 'notified', target: where, detail: r.detail } : { kind: 'notify-failed', target: where, message: r.detail },
        );
        return { where, sent: true, ...r };
      } catch (e) {
        const detail = scrubTarget(messageOf(e), t);
        deps.log.event({ kind: 'notify-failed', target: where, message: detail });
        return { where, sent: true, ok: false, detail };
      }
    }),
  );
}

async function send(deps: NotifyDeps, t: NotifyTarget, s: RunSummary): Promise<{ ok: boolean; detail: string }> {
  const exitCode = s.status === 'ok' ? 0 : s.exitCode;
  if (t.kind === 'url') {
    const url = fillUrl(t.url!, { exit_code: String(exitCode), status: s.status === 'ok' ? 'ok' : 'fail', command: s.command });
    const r = await deps.ports.post(url, JSON.stringify(s), deps.httpTimeoutMs ?? HTTP_TIMEOUT_MS).catch((e: unknown) => {
      throw new Error(messageOf(e).split(url).join(redactUrl(url)));
    });
    return { ok: r.status >= 200 && r.status < 300, detail: `HTTP ${r.status}` };
  }
  if (deps.commandsRefused) return { ok: false, detail: `not run: ${deps.commandsRefused}` };
  const env = { HOLDFAST_STATUS: s.status, HOLDFAST_EXIT_CODE: String(exitCode), HOLDFAST_COMMAND: s.command, HOLDFAST_SUMMARY: s.text };
  const r = await deps.ports.run(t.argv!, `${JSON.stringify(s, null, 2)}\n`, env, deps.commandTimeoutMs ?? COMMAND_TIMEOUT_MS);
  const why = r.exitCode === 124 ? 'timed out' : `exit ${r.exitCode}`;
  const err = r.stderr.trim().split('\n')[0];
  return { ok: r.exitCode === 0, detail: r.exitCode === 0 ? 'exit 0' : `${why}${err ? `: ${err}` : ''}` };
}

// How a target appears in logs: a redacted URL, or the command's program name.
export function describeTarget(t: NotifyTarget): string {
  return t.kind === 'url' ? redactUrl(t.url!) : `command ${t.argv![0]}`;
}

// An error text never repeats the target's URL (whose path may be the secret).
function scrubTarget(text: string, t: NotifyTarget): string {
  return t.url ? text.split(t.url).join(describeTarget(t)) : text;
}

import { accessSync, constants } from 'node:fs';
import { notifyTargets } from '../../notify/targets.js';
import { describeTarget } from '../../notify/run.js';
import type { DoctorCheck, Finding } from '../finding.js';

// Notification settings: each command can be found; with --notify a test summary goes out to
// every target. A notification never fails a run, so nothing here is worse than a warning.
export const notifyCheck: DoctorCheck = async (d) => {
  if (!d.file) return [];
  const targets = notifyTargets(d.file);
  if (targets.length === 0)
    return [
      {
        check: 'notify',
        where: '-',
        status: 'skip',
        detail: 'no notify_url or notify_command: failures show only in the log and the exit code',
      },
    ];
  const rows: Finding[] = [];
  for (const t of targets) {
    const where = describeTarget(t);
    if (t.kind === 'command') {
      const prog = t.argv![0]!;
      const path = prog.includes('/') ? (runnable(prog) ? prog : undefined) : d.which(prog);
      if (!path) {
        rows.push({
          check: 'notify',
          where,
          status: 'warn',
          detail: `${prog} is not ${prog.includes('/') ? 'an executable file' : 'on PATH'}`,
          fix: prog === 'mail' ? 'apt install bsd-mailx' : `install ${prog}, or give its absolute path`,
        });
        continue;
      }
    }
    if (!d.sendTestNotification) rows.push({ check: 'notify', where, status: 'ok', detail: `on ${t.on} (doctor --notify sends a test)` });
  }
  if (d.sendTestNotification) {
    for (const a of await d.sendTestNotification()) {
      rows.push(
        a.ok
          ? { check: 'notify', where: a.where, status: 'ok', detail: `test sent (${a.detail})` }
          : {
              check: 'notify',
              where: a.where,
              status: 'warn',
              detail: `test failed: ${a.detail}`,
              fix: 'check the URL or command; the run log shows the same message',
            },
      );
    }
  }
  return rows;
};

function runnable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

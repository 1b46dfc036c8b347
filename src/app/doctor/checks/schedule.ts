import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCronFile } from '../../install/cron-syntax.js';
import type { DoctorCheck, Finding } from '../finding.js';

// The schedule holdfast installs: a cron file cron will accept (Debian's cron skips files that
// are not root's or are writable by others, and lines it cannot read), or systemd timers.
export const scheduleCheck: DoctorCheck = async (d) => {
  const rows: Finding[] = [];
  const cron = d.paths.cronFile;
  if (existsSync(cron)) {
    const st = statSync(cron);
    const { jobs, issues } = parseCronFile(readFileSync(cron, 'utf8'));
    if (st.uid !== 0 || st.mode & 0o022)
      rows.push({
        check: 'schedule',
        where: cron,
        status: 'fail',
        detail: 'cron ignores it: it must be owned by root and writable by nobody else',
        fix: `chown root:root ${cron} && chmod 644 ${cron}`,
      });
    for (const i of issues)
      rows.push({
        check: 'schedule',
        where: `${cron}:${i.line}`,
        status: 'fail',
        detail: `cron skips this line: ${i.message}`,
        fix: 'correct the line (crontab(5)), or holdfast setup --cron --force',
      });
    if (rows.length === 0)
      rows.push({
        check: 'schedule',
        where: cron,
        status: 'ok',
        detail: `${jobs.length} job${jobs.length === 1 ? '' : 's'}: ${jobs.map((j) => `${j.fields.join(' ')} ${/\bholdfast\S*\s.*?\b(snap|send|backup)\b/.exec(j.command)?.[1] ?? j.command}`).join('; ')}`,
      });
  }
  const timers = ['holdfast-snap.timer', 'holdfast-send.timer'].filter((t) => existsSync(join(d.paths.systemdDir, t)));
  if (timers.length > 0)
    rows.push({
      check: 'schedule',
      where: d.paths.systemdDir,
      status: 'ok',
      detail: `${timers.join(', ')} installed (systemctl list-timers 'holdfast-*' shows whether they are enabled)`,
    });
  if (rows.length === 0)
    rows.push({
      check: 'schedule',
      where: '-',
      status: 'skip',
      detail: `no ${cron} or holdfast-*.timer; holdfast setup --cron or --systemd installs one (fine if you schedule holdfast another way)`,
    });
  return rows;
};

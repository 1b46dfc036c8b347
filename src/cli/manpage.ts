import { ALL_KEYS } from '../config/keys/index.js';
import { EXIT } from './exit-codes.js';
import type { CommandDoc, OptionDoc, ProgramDoc } from './help-model.js';

// holdfast(1) in roff, generated from the commander tree (help-model.ts) and the config key
// specs, so `man holdfast`, `--help` and `holdfast check` always say the same thing.
export function manPage(p: ProgramDoc, date: string): string {
  return [
    `.TH HOLDFAST 1 "${date}" "holdfast ${esc(p.version)}" "User Commands"`,
    '.nh',
    '.ad l',
    '.SH NAME',
    `holdfast \\- ${esc(p.description)}`,
    '.SH SYNOPSIS',
    `.B holdfast\n[\\fIglobal options\\fR] \\fIcommand\\fR [\\fIoptions\\fR]`,
    '.SH DESCRIPTION',
    esc(
      'holdfast takes, prunes and replicates ZFS (and btrfs) snapshots from cron or systemd timers, following a policy file in the INI format pyznap uses (pyznap.conf files work unchanged). Every command plans first: --dry-run prints the commands a run would execute and changes nothing; --json prints the plan or the result.',
    ),
    '.SH GLOBAL OPTIONS',
    'Global options go before or after the command.',
    ...p.globalOptions.map(option),
    '.SH COMMANDS',
    ...p.commands.map(command),
    '.SH CONFIGURATION',
    esc(
      'The policy file (default /etc/holdfast/holdfast.conf) has one [section] per dataset (or ssh:PORT:USER@HOST:DATASET) and a [DEFAULT] section. A key unset in a section comes from the nearest configured ancestor section, then [DEFAULT]; dest and the per-destination keys are not inherited. `holdfast check` shows every section with where each value came from. The keys:',
    ),
    ...ALL_KEYS.map((k) => `.TP\n.B ${esc(k.name)}\n${esc(k.describe)}`),
    '.SH NOTIFICATIONS',
    esc(
      'With notify_url, each snap, send, btrfs-send, backup or verify run that fails (or every run, with notify_on = always) POSTs a JSON summary: version, command, host, status, exitCode, started, ended, durationMs, counts, failures (target, stage, message) and text, a one-line summary. It never holds credentials; logs show the URL only as scheme://host/ with the secret-looking parts of its path replaced by "…". notify_command runs a program without a shell, with the same JSON on stdin and HOLDFAST_STATUS, HOLDFAST_EXIT_CODE, HOLDFAST_COMMAND and HOLDFAST_SUMMARY in its environment; it is not run from a policy file that others can write. A notification that fails is logged and never changes the exit status. Section settings apply to that section\'s datasets; [DEFAULT]\'s to the rest and to run-wide failures.',
    ),
    '.SH EXIT STATUS',
    ...exitRows().map(([code, what]) => `.TP\n.B ${code}\n${esc(what)}`),
    '.SH FILES',
    '.TP\n.I /etc/holdfast/holdfast.conf\nThe policy file (\\fBholdfast setup\\fR writes a commented sample).',
    '.TP\n.I /run/holdfast\nRun locks (flock), one per kind of run.',
    '.TP\n.I /etc/cron.d/holdfast, /etc/systemd/system/holdfast\\-*.{service,timer}\nThe schedule \\fBholdfast setup \\-\\-cron\\fR or \\fB\\-\\-systemd\\fR installs.',
    '.SH ENVIRONMENT',
    '.TP\n.B HOLDFAST_CONFIG\nThe default for \\-\\-config.',
    '.TP\n.B HOLDFAST_LOCK_DIR\nThe default for \\-\\-lock\\-dir.',
    '.TP\n.B NO_COLOR\nNo colours in tables, even on a terminal.',
    '.SH SEE ALSO',
    '.BR zfs (8),\n.BR zpool (8),\n.BR crontab (5),\n.BR systemd.timer (5)',
    '',
  ].join('\n');
}

function command(c: CommandDoc): string {
  const lines = [`.SS ${esc(c.name)}`, `.B ${esc(c.usage.replace(/^holdfast /, 'holdfast '))}`, '.PP', esc(c.description)];
  if (c.options.length > 0) lines.push('.PP', 'Options:', ...c.options.map(option));
  if (c.example) lines.push('.PP', 'Example:', '.PP', '.RS 4', '.nf', esc(c.example), '.fi', '.RE');
  return lines.join('\n');
}

function option(o: OptionDoc): string {
  const term = o.term.replace(/(<[^>]+>|\[[^\]]+\])/g, (v) => `\\fI${v}\\fB`);
  return `.TP\n\\fB${esc(term)}\\fR\n${esc(o.description)}`;
}

// The exit codes from exit-codes.ts, in words.
function exitRows(): [number | string, string][] {
  return [
    [EXIT.ok, 'Done (doctor: no check failed).'],
    [
      EXIT.partial,
      'Some datasets or destinations failed; each is named in the log and the notification (doctor: a check failed, so the next run would fail).',
    ],
    [EXIT.usage, 'Bad options or an invalid policy file: nothing was done.'],
    [EXIT.locked, 'Another run holds the lock (see --wait).'],
    [EXIT.internal, 'An internal error: a bug in holdfast; please report it.'],
    [
      '129, 130, 143',
      'Stopped by SIGHUP, SIGINT or SIGTERM (128 + the signal number): its processes were stopped, its ssh connections closed, and one log line says what was interrupted and what the next run does.',
    ],
  ];
}

// roff: backslashes kept, every "-" a real minus (so options can be searched and pasted),
// anything beyond ASCII as a \[uXXXX] escape, lines starting with "." or "'" protected.
export function esc(text: string): string {
  return text
    .replace(/\\(?!f[BIRP]|-)/g, '\\e')
    .replace(/(?<!\\)-/g, '\\-')
    .replace(/[^\x00-\x7f]/gu, (c) => `\\[u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`)
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');
}

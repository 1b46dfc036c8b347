// A strict reader of /etc/cron.d files as Debian's cron (vixie-cron 3.0) reads them, so a
// schedule holdfast writes, or one a user edits, is checked without waiting for 3 a.m.

export interface CronIssue {
  readonly line: number;
  readonly message: string;
}

export interface CronJob {
  readonly line: number;
  readonly fields: readonly string[]; // 5 time fields, or one @keyword
  readonly user: string;
  readonly command: string;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59, names: [] as string[] },
  { name: 'hour', min: 0, max: 23, names: [] },
  { name: 'day of month', min: 1, max: 31, names: [] },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;
const KEYWORDS = new Set(['@reboot', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

// Every job and every problem in a system crontab (fields, user, command).
export function parseCronFile(text: string): { jobs: CronJob[]; issues: CronIssue[] } {
  const jobs: CronJob[] = [];
  const issues: CronIssue[] = [];
  const lines = text.split('\n');
  if (text.length > 0 && !text.endsWith('\n'))
    issues.push({ line: lines.length, message: 'the last line has no newline; cron ignores it' });
  lines.forEach((raw, i) => {
    const line = i + 1;
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) return;
    if (/^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(t)) return; // NAME=value
    const words = t.split(/\s+/);
    const nTime = words[0]!.startsWith('@') ? 1 : 5;
    if (words.length < nTime + 2)
      return void issues.push({ line, message: `expected ${nTime === 1 ? '@keyword' : '5 time fields'}, a user and a command` });
    const fields = words.slice(0, nTime);
    const problems =
      nTime === 1 ? (KEYWORDS.has(fields[0]!) ? [] : [`unknown keyword ${fields[0]}`]) : fields.flatMap((f, k) => fieldProblems(f, k));
    const user = words[nTime]!;
    if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(user))
      problems.push(`"${user}" is not a user name (files in /etc/cron.d name the user after the time fields)`);
    const cmd = t.replace(nTime === 1 ? /^(\S+\s+){2}/ : /^(\S+\s+){6}/, '');
    if (/(^|[^\\])%/.test(cmd)) problems.push('an unescaped % in the command ends it (cron turns % into a newline); write \\%');
    for (const p of problems) issues.push({ line, message: p });
    if (problems.length === 0) jobs.push({ line, fields, user, command: cmd });
  });
  return { jobs, issues };
}

function fieldProblems(field: string, k: number): string[] {
  const spec = FIELDS[k]!;
  const out: string[] = [];
  const num = (s: string): number | undefined => {
    if (/^\d+$/.test(s)) return Number(s);
    const n = (spec.names as readonly string[]).indexOf(s.toLowerCase());
    return n < 0 ? undefined : n + spec.min;
  };
  for (const item of field.split(',')) {
    const m = /^(\*|[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?)(?:\/(\d+))?$/.exec(item);
    if (!m) {
      out.push(`${spec.name} "${item}" is not a value, range, list or step`);
      continue;
    }
    const [, range, step] = m;
    if (step !== undefined && (Number(step) < 1 || Number(step) > spec.max)) out.push(`${spec.name} step /${step} is out of range`);
    if (range === '*') continue;
    const [a, b] = range!.split('-');
    const lo = num(a!);
    const hi = b === undefined ? lo : num(b);
    if (lo === undefined || hi === undefined)
      out.push(`${spec.name} "${range}" is not a number${spec.names.length ? ' or a three-letter name' : ''}`);
    else if (lo < spec.min || hi > spec.max) out.push(`${spec.name} ${range} is outside ${spec.min}-${spec.max}`);
    else if (lo > hi) out.push(`${spec.name} range ${range} runs backwards`);
    else if (step !== undefined && b === undefined) out.push(`${spec.name} "${item}": a step needs * or a range before it`);
    if (b !== undefined && /[a-z]/i.test(range!)) out.push(`${spec.name} "${range}": names cannot be used in a range (crontab(5))`);
  }
  return out;
}

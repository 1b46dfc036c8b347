import type { PairReport, SendReport } from '../../app/send/report.js';
import type { Command, Conflict } from '../../domain/replication/types.js';
import type { Holdings, Step } from '../../domain/replication/types.js';
import type { LogEvent } from '../../app/ports.js';

// A conflict's command as the user would run it (app/send/steps.ts: printCommand).
type Print = (c: Command) => string;

// --dry-run: per destination, every command in order (each transfer as one shell line),
// with conflicts and skips as comments.
export function renderSendPlan(r: SendReport): string {
  const out: string[] = [];
  for (const j of r.jobs) {
    out.push(`# ${j.label}${j.problem ? `: ${j.problem}` : ''}`);
    out.push(...j.prelude);
    for (const p of j.pairs) {
      if (p.status === 'conflict') out.push(`# ${p.plan.source}: conflict (${p.plan.conflict?.kind}); nothing is sent (see the log)`);
      else if (p.status === 'skipped') out.push(`# ${p.plan.source}: skipped, ${p.error}`);
      else if (p.status === 'up-to-date') out.push(`# ${p.plan.source}: up to date (@${p.plan.newBase})`);
      else if (p.status === 'failed') out.push(`# ${p.plan.source}: ${p.error}`);
      out.push(...p.commands);
    }
    out.push(...j.holds);
  }
  for (const c of r.clean?.hosts.flatMap((h) => h.commands) ?? []) out.push(c);
  return out.length === 0 ? '# nothing to do\n' : `${out.join('\n')}\n`;
}

// --json: the plan (or the result) as data; conflicts carry the commands that resolve them.
export function sendReportJson(r: SendReport, print: Print): unknown {
  return {
    dryRun: r.dryRun,
    jobs: r.jobs.map((j) => ({
      section: j.job.section?.name ?? null,
      source: j.job.source,
      dest: j.job.dest,
      label: j.label,
      status: j.status,
      problem: j.problem ?? null,
      notes: j.notes,
      prelude: j.prelude,
      datasets: j.pairs.map((p) => pairJson(p, print)),
      holds: j.holds,
    })),
    problems: r.problems,
    busy: r.busy,
    clean: r.clean
      ? { commands: r.clean.hosts.flatMap((h) => h.commands), destroyed: r.clean.hosts.reduce((n, h) => n + h.destroyed, 0) }
      : null,
    cleanSkipped: r.cleanSkipped ?? null,
    failures: r.failures,
  };
}

function pairJson(p: PairReport, print: Print): unknown {
  return {
    source: p.plan.source,
    dest: p.plan.dest,
    outcome: p.plan.outcome,
    status: p.status,
    base: p.plan.base ?? null,
    newBase: p.plan.newBase ?? null,
    steps: p.plan.steps.map(stepJson),
    skip: p.plan.skip ?? null,
    conflict: p.plan.conflict ? conflictJson(p.plan.conflict, print) : null,
    commands: p.commands,
    transfers: p.transfers.map((t) => ({ ...t, step: stepJson(t.step) })),
    attempts: p.attempts,
    error: p.error ?? null,
    notes: p.plan.notes,
  };
}

// Resume tokens are long and say nothing to a reader: shortened.
function stepJson(s: Step): unknown {
  return s.kind === 'resume' ? { ...s, token: `${s.token.slice(0, 24)}…` } : s;
}

function conflictJson(c: Conflict, print: Print): unknown {
  const names = (xs: readonly { name: string; guid: string }[]) => xs.map((x) => ({ name: x.name, guid: x.guid }));
  return {
    kind: c.kind,
    source: { dataset: c.sides.source.dataset, snapshots: names(c.sides.source.snapshots) },
    dest: { dataset: c.sides.dest.dataset, snapshots: names(c.sides.dest.snapshots) },
    ...(c.kind === 'dest-ahead' ? { base: c.base, destOnly: names(c.destOnly) } : {}),
    ...(c.kind === 'no-common' ? { guidMismatches: c.guidMismatches, keepCopy: c.keepCopy.map(print) } : {}),
    ...(c.kind === 'dest-exists' ? { holds: holdsJson(c.holds), keepCopy: c.keepCopy.map(print) } : {}),
    ...(c.kind === 'foreign-resume' ? { tokenFor: c.tokenFor ?? null } : {}),
    resolve: c.resolve.map(print),
  };
}

// What a destination without snapshots holds: sizes in bytes, null where zfs did not say.
function holdsJson(h: Holdings): unknown {
  return {
    referenced: h.referenced ?? null,
    used: h.used ?? null,
    children: h.children,
    mounted: h.mounted === undefined ? null : h.mounted !== '',
    mountpoint: h.mounted || null,
  };
}

// The closing log line: what moved, what is current, what failed, and the processes it took.
export function sendSummary(
  r: SendReport,
  ms: number,
  spawned: ReadonlyMap<string, number>,
  nodeCpuSecs: number,
): { event: LogEvent; counts: Record<string, number> } {
  const pairs = r.jobs.flatMap((j) => j.pairs);
  const transfers = pairs.flatMap((p) => p.transfers);
  const bytes = transfers.reduce((n, t) => n + (t.bytes ?? 0), 0);
  const count = (s: PairReport['status']) => pairs.filter((p) => p.status === s).length;
  const failed = [...new Set(r.failures.map((f) => f.target))];
  const zfs = spawned.get('zfs') ?? 0;
  const ssh = spawned.get('ssh') ?? 0;
  const counts = {
    transfers: transfers.length,
    bytes,
    upToDate: count('up-to-date'),
    conflicts: count('conflict'),
    skipped: count('skipped'),
    busy: r.busy.length,
    zfsProcesses: zfs,
    sshProcesses: ssh,
    nodeCpuMs: Math.round(nodeCpuSecs * 1000),
  };
  // Node's own CPU time: the stream never passes through it, so it stays small whatever the size.
  const event: LogEvent = {
    kind: 'send-summary',
    dryRun: r.dryRun,
    streams: transfers.length,
    bytes,
    upToDate: counts.upToDate,
    conflicts: counts.conflicts,
    busy: r.busy.length,
    ms,
    zfsProcesses: zfs,
    cpuSec: nodeCpuSecs,
    failed,
  };
  return { event, counts };
}

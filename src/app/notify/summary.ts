import type { Failure } from '../failures.js';
import { scrubSecrets } from './redact.js';

// A failure in a run summary; `section` (when the command knows it) routes it to that section's
// notify settings, otherwise the target is matched against the configured locations.
export interface SummaryFailure extends Failure {
  readonly section?: string;
}

// What a finished run reports, as commands hand it over (snap now; send and backup alike).
export interface RunOutcome {
  readonly command: string; // snap, send, backup
  readonly counts: Readonly<Record<string, number>>; // e.g. taken, destroyed, datasets
  readonly failures: readonly SummaryFailure[];
}

// The JSON every notification carries. Stable within a major version (docs/operations.md).
export interface RunSummary {
  readonly version: string; // holdfast's version
  readonly command: string;
  readonly host: string;
  readonly status: 'ok' | 'failed';
  readonly exitCode: number;
  readonly started: string; // ISO 8601, UTC
  readonly ended: string;
  readonly durationMs: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly failures: readonly SummaryFailure[];
  readonly text: string; // one human line (Slack shows this field)
}

export interface SummaryInput extends RunOutcome {
  readonly version: string;
  readonly host: string;
  readonly startedMs: number;
  readonly endedMs: number;
  readonly exitCode: number;
}

// Build the summary; every message is scrubbed of URL credentials and query strings.
export function buildSummary(i: SummaryInput): RunSummary {
  const failures = i.failures.map((f) => ({ ...f, message: scrubSecrets(f.message) }));
  const status = i.exitCode === 0 && failures.length === 0 ? 'ok' : 'failed';
  const base = { version: i.version, command: i.command, host: i.host, status, exitCode: i.exitCode } as const;
  const times = {
    started: new Date(i.startedMs).toISOString(),
    ended: new Date(i.endedMs).toISOString(),
    durationMs: Math.max(0, i.endedMs - i.startedMs),
  };
  const summary = { ...base, ...times, counts: { ...i.counts }, failures, text: '' };
  return { ...summary, text: summaryText(summary) };
}

// "holdfast snap on nas: failed (exit 1): 2 failures: tank/a (take: …); took 3, destroyed 1".
export function summaryText(s: Omit<RunSummary, 'text'>): string {
  const counts = Object.entries(s.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const head = `holdfast ${s.command} on ${s.host}: ${s.status === 'ok' ? 'ok' : `failed (exit ${s.exitCode})`}`;
  const shown = s.failures.slice(0, 3).map((f) => `${f.target} (${f.stage}: ${f.message})`);
  const more = s.failures.length > 3 ? `, and ${s.failures.length - 3} more` : '';
  const fails =
    s.failures.length > 0 ? `; ${s.failures.length} failure${s.failures.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}` : '';
  return `${head}${fails}${counts ? `; ${counts}` : ''}`;
}

// The same summary narrowed to some failures (a section's own notify settings hear only theirs);
// its status is theirs, exitCode stays the run's.
export function withFailures(s: RunSummary, failures: readonly SummaryFailure[]): RunSummary {
  if (failures.length === s.failures.length) return s;
  const narrowed = { ...s, failures, status: failures.length === 0 ? 'ok' : 'failed' } as const; // its own datasets' view
  return { ...narrowed, text: summaryText(narrowed) };
}

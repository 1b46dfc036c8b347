import type { Check } from '../../domain/monitor/nagios.js';

// --json: the status, the exit code and every check (perfdata as numbers).
export function monitorJson(report: { exit: number; text: string }, checks: readonly Check[]): unknown {
  return {
    exit: report.exit,
    status: report.text.split(' ')[1],
    summary: report.text.split('\n')[0]!.replace(/ \| .*$/, ''),
    checks: checks.map((c) => ({ status: c.status, message: c.message, perf: c.perf ?? null })),
  };
}

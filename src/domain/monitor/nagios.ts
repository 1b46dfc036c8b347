// Nagios/Icinga plugin output: one status line with perfdata, then one line per problem.
// https://nagios-plugins.org/doc/guidelines.html#AEN200 (exit codes, perfdata syntax).

export type Status = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
export const EXIT_OF: Readonly<Record<Status, number>> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

// Performance data: 'label'=value[uom];[warn];[crit];[min];[max]
export interface Perf {
  readonly label: string;
  readonly value: number;
  readonly uom: '' | 's' | 'B';
  readonly warn?: number;
  readonly crit?: number;
  readonly min?: number;
}

export interface Check {
  readonly status: Status;
  readonly message: string; // "tank/data hourly: newest 7h12m old (critical at 6h)"
  readonly perf?: Perf;
}

// The monitoring-plugins order (max_state_alt): CRITICAL > WARNING > UNKNOWN > OK.
const RANK: Readonly<Record<Status, number>> = { OK: 0, UNKNOWN: 1, WARNING: 2, CRITICAL: 3 };
export function worst(statuses: readonly Status[]): Status {
  return statuses.reduce<Status>((w, s) => (RANK[s] > RANK[w] ? s : w), 'OK');
}

// Labels are quoted (dataset names may hold spaces); a quote or "=" cannot be in one.
export function perfText(p: Perf): string {
  const label = p.label.replace(/['=]/g, '_');
  const n = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '' : String(Math.round(v)));
  const tail = [n(p.warn), n(p.crit), n(p.min)].join(';').replace(/;+$/, '');
  return `'${label}'=${n(p.value) || '0'}${p.uom}${tail ? `;${tail}` : ''}`;
}

// The whole plugin output and its exit code. No check at all is UNKNOWN (nothing monitored).
export function nagiosReport(checks: readonly Check[], name = 'HOLDFAST'): { exit: number; text: string } {
  if (checks.length === 0)
    return { exit: EXIT_OF.UNKNOWN, text: `${name} UNKNOWN - nothing to monitor: no section with snapshots or destinations\n` };
  const status = worst(checks.map((c) => c.status));
  const count = (s: Status): number => checks.filter((c) => c.status === s).length;
  const parts = (['CRITICAL', 'WARNING', 'UNKNOWN', 'OK'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => `${count(s)} ${s.toLowerCase()}`);
  const problems = checks.filter((c) => c.status !== 'OK');
  const first = problems.filter((c) => c.status === status)[0];
  const head = `${name} ${status} - ${parts.join(', ')}${first ? `: ${first.message}` : ''}`;
  const perf = checks.flatMap((c) => (c.perf ? [perfText(c.perf)] : [])).join(' ');
  const order = (c: Check): number => -RANK[c.status];
  const detail = [...problems].sort((a, b) => order(a) - order(b)).map((c) => `${c.status}: ${c.message}`);
  return { exit: EXIT_OF[status], text: `${head}${perf ? ` | ${perf}` : ''}\n${detail.map((l) => `${l}\n`).join('')}` };
}

import { type Limits, parseLimits } from '../../domain/monitor/thresholds.js';
import { MAX_COUNT, type ParseResult, commentHint, key, parseYesNo } from './spec.js';

function limits(raw: string): ParseResult<Partial<Limits>> {
  const r = parseLimits(raw);
  return 'error' in r ? { error: `${r.error}${commentHint(raw)}` } : { value: r.limits };
}

function keep(raw: string): ParseResult<number> {
  const v = raw.trim();
  const shown = v.length > 40 ? `${v.slice(0, 39)}…` : v;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_COUNT)
    return { error: `"${shown}" is not a whole number from 1 to ${MAX_COUNT}${commentHint(raw)}` };
  return { value: Number(v) };
}

// `holdfast monitor` and `holdfast cleanup` (docs/views.md).
export const MONITOR_KEYS = [
  key({ name: 'monitor', scope: 'tree', describe: 'no: holdfast monitor leaves these datasets out (default yes)', parse: parseYesNo }),
  key({
    name: 'monitor_warn',
    scope: 'tree',
    describe: 'monitor: WARNING ages per type and for replication lag, e.g. hourly=90m, daily=28h, lag=26h (0 turns a check off)',
    parse: limits,
  }),
  key({
    name: 'monitor_crit',
    scope: 'tree',
    describe: 'monitor: CRITICAL ages per type and for replication lag, e.g. hourly=6h, daily=32h, lag=50h',
    parse: limits,
  }),
  key({
    name: 'cleanup_keep',
    scope: 'tree',
    describe: 'holdfast cleanup: of the snapshots present on every destination, keep this many newest on the source (default 1)',
    parse: keep,
  }),
];

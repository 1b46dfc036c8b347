import type { ChangeVerdict } from '../snap/changed.js';
import type { DatasetState } from '../host-state.js';
import { type SnapPolicy, managedPrefixes } from '../policy.js';
import { SNAP_TYPES, type SnapType } from '../snap-types.js';
import { ManagedName } from '../snapshot-name.js';
import type { Snapshot } from '../snapshot.js';
import type { ComparePair } from '../views/compare.js';
import { createdOf } from '../views/tree.js';
import { ageSpec, ageText } from '../units.js';
import type { Check, Status } from './nagios.js';
import type { Measure, Thresholds } from './thresholds.js';

// Against the thresholds of one measure: CRITICAL at or past crit, WARNING at or past warn
// (a limit of 0 is off); the message names the limit that was passed.
export function grade(ageSec: number, m: Measure, t: Thresholds): { status: Status; limit: string } {
  const w = t.warn[m];
  const c = t.crit[m];
  if (!Number.isFinite(ageSec)) return { status: 'UNKNOWN', limit: 'age unknown' };
  if (c > 0 && ageSec >= c) return { status: 'CRITICAL', limit: `critical at ${ageSpec(c)}` };
  if (w > 0 && ageSec >= w) return { status: 'WARNING', limit: `warning at ${ageSpec(w)}` };
  return { status: 'OK', limit: w > 0 ? `warning at ${ageSpec(w)}` : c > 0 ? `critical at ${ageSpec(c)}` : 'no limit' };
}

// Per type the policy takes (count > 0): how old the newest snapshot of that type is. A dataset
// that snap_if_changed found unchanged is fresh whatever its age: its newest snapshot holds it all.
export function freshnessChecks(
  label: string,
  ds: DatasetState | undefined,
  policy: SnapPolicy,
  t: Thresholds,
  nowSec: number,
  change?: ChangeVerdict,
): Check[] {
  if (!policy.snap) return [];
  const types = [...SNAP_TYPES].reverse().filter((type) => (policy.counts[type] ?? 0) > 0 && (t.warn[type] > 0 || t.crit[type] > 0));
  if (!ds) return types.length ? [{ status: 'CRITICAL', message: `${label}: dataset does not exist` }] : [];
  const prefixes = managedPrefixes(policy);
  const unchanged = change?.known && !change.changed;
  return types.map((type): Check => {
    const newest = newestOfType(ds.snapshots, type, prefixes);
    const subject = `${label} ${type}`;
    const perfBase = { label: subject, uom: 's' as const, warn: t.warn[type] || undefined, crit: t.crit[type] || undefined, min: 0 };
    if (!newest)
      return unchanged
        ? { status: 'OK', message: `${subject}: none yet, but ${change!.why}` }
        : { status: 'CRITICAL', message: `${subject}: no ${type} snapshot` };
    const created = createdOf(newest);
    const age = created === undefined ? Number.NaN : Math.max(0, nowSec - created);
    const g = grade(age, type, t);
    const status: Status = unchanged && g.status !== 'UNKNOWN' ? 'OK' : g.status;
    const why = unchanged && g.status !== 'OK' ? `; ${change!.why}` : ` (${g.limit})`;
    return { status, message: `${subject}: @${newest.name} is ${ageText(age)} old${why}`, perf: { ...perfBase, value: age } };
  });
}

// Replication lag of one source/destination dataset pair; a conflict is CRITICAL (send cannot
// continue without someone deciding), an excluded or destination-only dataset is not checked.
export function lagCheck(label: string, pair: ComparePair, t: Thresholds): Check | undefined {
  if (pair.state === 'excluded' || pair.state === 'missing-on-source' || pair.state === 'no-snapshots') return undefined;
  if (pair.state === 'conflict')
    return { status: 'CRITICAL', message: `${label}: conflict: ${pair.conflicts.map((c) => c.text).join('; ')}` };
  const lag = pair.lag;
  if (!lag || (t.warn.lag <= 0 && t.crit.lag <= 0)) return undefined;
  const g = grade(lag.sec, 'lag', t);
  const perf = {
    label: `lag ${label}`,
    value: lag.sec,
    uom: 's' as const,
    warn: t.warn.lag || undefined,
    crit: t.crit.lag || undefined,
    min: 0,
  };
  const what =
    pair.state === 'missing-on-target'
      ? 'not on the destination yet'
      : lag.behind === 0
        ? 'up to date'
        : `${lag.behind} snapshot${lag.behind === 1 ? '' : 's'} behind, oldest missing @${lag.oldestMissing}`;
  return { status: g.status, message: `${label}: lag ${ageText(lag.sec)}, ${what} (${g.limit})`, perf };
}

// The newest managed snapshot of a type, walking back from the newest (no copy of the list).
function newestOfType(snapshots: readonly Snapshot[], type: SnapType, prefixes: readonly string[]): Snapshot | undefined {
  for (let i = snapshots.length - 1; i >= 0; i--) {
    if (ManagedName.of(snapshots[i]!.name, prefixes)?.type === type) return snapshots[i];
  }
  return undefined;
}

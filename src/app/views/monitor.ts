import { formatIssue } from '../../config/issue.js';
import type { PolicyFile } from '../../config/policy-file.js';
import { TreeIndex, type TreeSection } from '../../config/sections/tree.js';
import { changeVerdict } from '../../domain/snap/changed.js';
import { endpointKey } from '../../domain/endpoint.js';
import { freshnessChecks } from '../../domain/monitor/freshness.js';
import type { Check } from '../../domain/monitor/nagios.js';
import { replicationChecks } from '../../domain/monitor/replication.js';
import { DEFAULT_THRESHOLDS, type Limits, type Thresholds, mergeThresholds } from '../../domain/monitor/thresholds.js';
import { hasWritten } from '../snap/changed.js';
import type { AppContext } from '../context.js';
import { type CompareView, runCompare } from './compare.js';
import { messageOf } from '../failures.js';
import { runFileCheck } from '../../domain/monitor/run-file.js';
import { jobsFromConfig } from '../send/jobs.js';
import { placeLabel } from '../../domain/endpoint.js';

export interface MonitorOptions {
  readonly flags: { readonly warn?: Partial<Limits>; readonly crit?: Partial<Limits> };
  readonly runs: readonly { readonly path: string; readonly text: string | undefined }[]; // --run FILE, read
  readonly sections: readonly string[]; // only these sections (all when empty)
  readonly compared?: readonly CompareView[]; // the config's pairs, compared already (the UI's overview)
}

// `holdfast monitor`: snapshot freshness per type, replication lag per destination, and the
// last runs' failures, as Nagios checks. Nothing is changed.
export async function runMonitor(ctx: AppContext, file: PolicyFile, o: MonitorOptions): Promise<Check[]> {
  const chosen = file.trees.filter(
    (s) => s.kind === 'zfs' && (o.sections.length === 0 || o.sections.includes(s.name)) && s.monitor.enabled,
  );
  const thresholds = (s: TreeSection): Thresholds =>
    mergeThresholds(DEFAULT_THRESHOLDS, { warn: s.monitor.warn, crit: s.monitor.crit }, o.flags);
  const nowSec = Math.round(ctx.clock.nowMs() / 1000);
  const checks: Check[] = [...configWarnings(file)];
  const index = new TreeIndex(file.trees);
  for (const group of byHost(chosen)) checks.push(...(await freshness(ctx, index, group, thresholds, nowSec)));
  const names = new Set(chosen.map((s) => s.name));
  const jobs = jobsFromConfig(file).jobs.filter((j) => j.section && names.has(j.section.name));
  const views = o.compared ? o.compared.filter((v) => v.job.section && names.has(v.job.section.name)) : await runCompare(ctx, jobs);
  for (const v of views) {
    const section = chosen.find((s) => s.name === v.job.section?.name)!;
    const pairs = v.pairs.map((pair) => ({
      label: `${placeLabel(v.job.source.endpoint, pair.source)} -> ${placeLabel(v.job.dest.endpoint, pair.dest)}`,
      pair,
    }));
    const view = {
      label: `${v.source} -> ${v.dest}`,
      pairs,
      sourceMissing: v.problem !== undefined && !v.unlisted,
      ...(v.unlisted ? { unlisted: v.unlisted } : {}),
    };
    checks.push(...replicationChecks(view, thresholds(section)));
  }
  for (const r of o.runs) checks.push(runFileCheck(r.path, r.text, nowSec));
  return checks;
}

// The runs go on despite config warnings (pyznap's tolerance), so monitor is where they show:
// one WARNING naming the first, with file:line.
function configWarnings(file: PolicyFile): Check[] {
  const n = file.counts.warnings;
  const first = file.issues.find((i) => i.severity === 'warning');
  if (n === 0 || !first) return [];
  const more = n > 1 ? ` (and ${n - 1} more warning${n === 2 ? '' : 's'}: holdfast check lists them)` : '';
  return [{ status: 'WARNING', message: `${formatIssue(first)}${more}` }];
}

// Freshness of every dataset the host's chosen sections govern, from one listing.
async function freshness(
  ctx: AppContext,
  index: TreeIndex,
  sections: readonly TreeSection[],
  thresholds: (s: TreeSection) => Thresholds,
  nowSec: number,
): Promise<Check[]> {
  const endpoint = sections[0]!.endpoint;
  const dataset = (s: TreeSection): string => s.dataset;
  const host = ctx.snapshots('zfs', endpoint);
  let state;
  let written = false;
  try {
    written = hasWritten(await host.capabilities());
    const wants = written && sections.some((s) => s.change.enabled);
    state = await host.listState(sections.map(dataset), ['creation', ...(wants ? ['written'] : [])]);
  } catch (e) {
    return sections.map((s) => ({
      status: 'UNKNOWN' as const,
      message: `${placeLabel(endpoint, dataset(s))}: cannot list: ${messageOf(e)}`,
    }));
  }
  const checks: Check[] = [];
  for (const s of sections) {
    if (!state.datasets.has(dataset(s)))
      checks.push(...freshnessChecks(placeLabel(endpoint, dataset(s)), undefined, s.policy, thresholds(s), nowSec));
  }
  for (const [name, ds] of state.datasets) {
    const s = index.governing(endpoint, name);
    if (!s || !sections.includes(s)) continue;
    const change = s.change.enabled ? changeVerdict(ds, s.change, written) : undefined;
    checks.push(...freshnessChecks(placeLabel(endpoint, name), ds, s.policy, thresholds(s), nowSec, change));
  }
  return checks;
}

function byHost(sections: readonly TreeSection[]): TreeSection[][] {
  const groups = new Map<string, TreeSection[]>();
  for (const s of sections) {
    const k = endpointKey(s.endpoint);
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  return [...groups.values()];
}

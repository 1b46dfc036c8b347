import type { RestoreReport } from '../../app/store/restore.js';
import type { StoreSendReport } from '../../app/store/send.js';
import type { VerifyReport } from '../../app/store/verify.js';
import { bytesText } from '../../domain/units.js';
import { renderPrune, table } from './store-status.js';

// --dry-run of a restore: each link and the stages its bytes go through.
export function renderRestorePlan(r: RestoreReport): string {
  const out = [`# restore ${r.source} into ${r.target}: ${r.links.length} link${r.links.length === 1 ? '' : 's'}, full first`];
  for (const l of r.links) out.push(`# @${l.snapshot} (${l.kind}, ${bytesText(l.bytes)})`, l.pipeline);
  out.push(r.mount);
  return `${out.join('\n')}\n`;
}

export function renderVerify(v: VerifyReport): string {
  const rows = v.rows.map((r) => [
    r.dataset,
    r.snapshot,
    r.bytes === undefined ? '-' : bytesText(r.bytes),
    r.status === 'ok' ? 'ok' : r.status.toUpperCase(),
  ]);
  const out = table(['DATASET', 'SNAPSHOT', 'SIZE', 'SHA256'], rows);
  for (const r of v.rows) if (r.detail) out.push(`# ${r.detail}`);
  for (const o of v.orphans) out.push(`# ${v.url}/${o}: no manifest refers to it (an interrupted upload; a prune removes it)`);
  out.push(
    `# ${v.url}: ${v.rows.length - v.failed} of ${v.rows.length} object${v.rows.length === 1 ? '' : 's'} match their manifest (${bytesText(v.bytes)} read)${v.failed ? `; ${v.failed} FAILED` : ''}`,
  );
  return `${out.join('\n')}\n`;
}

// --dry-run of a send to a store: per dataset, each upload as one line, then holds and the prune.
export function renderStoreSendPlan(r: StoreSendReport): string[] {
  const out = [`# ${r.label}${r.problem ? `: ${r.problem}` : ''}`];
  for (const n of r.notes) out.push(`# ${n}`);
  for (const d of r.datasets) {
    if (d.status === 'skipped') out.push(`# ${d.dataset}: skipped${d.skip ? `, ${d.skip}` : ''}`);
    else if (d.status === 'up-to-date') out.push(`# ${d.dataset}: up to date${d.plan?.newest ? ` (@${d.plan.newest})` : ''}`);
    else if (d.status === 'failed') out.push(`# ${d.dataset}: ${d.error}`);
    for (const n of d.plan?.notes ?? []) out.push(`# ${d.dataset}: ${n}`);
    for (const u of d.uploads) out.push(u.pipeline, `write ${r.url}/${u.manifestKey}`);
    out.push(...d.holds);
  }
  for (const p of r.prune?.plans ?? []) for (const del of p.deletes) out.push(`delete ${r.url}/${del.key}  # ${del.why}`);
  return out;
}

export function renderStoreExplain(r: StoreSendReport): string[] {
  return r.prune ? renderPrune(r.prune.plans) : [`# ${r.url}: clean is not yes in its section: the store is never pruned`];
}

export function storeSendJson(r: StoreSendReport): unknown {
  return {
    label: r.label,
    url: r.url,
    status: r.status,
    problem: r.problem ?? null,
    notes: r.notes,
    datasets: r.datasets.map((d) => ({
      dataset: d.dataset,
      status: d.status,
      outcome: d.plan?.outcome ?? null,
      base: d.plan?.base ?? null,
      newest: d.plan?.newest ?? null,
      notes: d.plan?.notes ?? [],
      uploads: d.uploads,
      holds: d.holds,
      skip: d.skip ?? null,
      error: d.error ?? null,
    })),
    prune: r.prune ? { plans: r.prune.plans, deleted: r.prune.deleted } : null,
    failures: r.failures,
  };
}

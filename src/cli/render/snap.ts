import type { HostSnapReport, SnapReport } from '../../app/snap/cycle.js';
import { placeLabel } from '../../domain/endpoint.js';

const at = (h: HostSnapReport, dataset: string): string => placeLabel(h.endpoint, dataset);

// --dry-run: every zfs command the run would execute, one per line, copy-pasteable.
export function renderCommands(r: SnapReport): string {
  const lines = r.hosts.flatMap((h) => h.commands);
  return lines.length === 0 ? '# nothing to do\n' : `${lines.join('\n')}\n`;
}

// --explain / `holdfast plan`: per dataset, what is taken and why, what is kept and why,
// and what is destroyed and why.
export function renderExplain(r: SnapReport): string {
  const out: string[] = [];
  for (const h of r.hosts) {
    const { takeOf, verdictsOf } = byDataset(h);
    for (const [dataset, p] of h.policies) {
      const take = takeOf(dataset);
      const verdicts = verdictsOf(dataset);
      out.push(`${at(h, dataset)}  [${p.section}] snap=${p.snap ? 'yes' : 'no'} clean=${p.clean ? 'yes' : 'no'}`);
      for (const d of take) out.push(`  ${d.due ? 'take   ' : 'not due'} ${d.type.padEnd(8)} ${d.due ? `${d.snapName}  ` : ''}(${d.why})`);
      for (const v of verdicts) {
        out.push(`  ${v.keep ? 'keep   ' : 'destroy'} ${v.item.name}  (${v.reasons.join('; ')})`);
      }
    }
  }
  return out.length === 0 ? '# no dataset is governed by a section with snap or clean = yes\n' : `${out.join('\n')}\n`;
}

// --json: the whole report, plans included, as data.
export function snapReportJson(r: SnapReport, dryRun: boolean): unknown {
  return {
    dryRun,
    hosts: r.hosts.map((h) => ({
      host: h.endpoint.kind === 'local' ? 'local' : placeLabel(h.endpoint),
      zfs: h.capabilities ? { flavor: h.capabilities.flavor, version: h.capabilities.version ?? null } : null,
      commands: h.commands,
      taken: h.taken,
      destroyed: h.destroyed,
      datasets: [...h.policies].map(([dataset, p]) => ({
        dataset,
        section: p.section,
        take: byDataset(h).takeOf(dataset),
        snapshots: byDataset(h)
          .verdictsOf(dataset)
          .map((v) => ({
            name: v.item.name,
            keep: v.keep,
            reasons: v.reasons,
          })),
      })),
    })),
    failures: r.failures,
  };
}

// A host's take decisions and clean verdicts per dataset, indexed once: looking them up per
// dataset in the whole lists was quadratic in the datasets (10,000 datasets, 10^8 steps).
const indexed = new WeakMap<HostSnapReport, ReturnType<typeof index>>();
function byDataset(h: HostSnapReport): ReturnType<typeof index> {
  let i = indexed.get(h);
  if (!i) indexed.set(h, (i = index(h)));
  return i;
}
function index(h: HostSnapReport) {
  const take = new Map<string, NonNullable<HostSnapReport['take']>['decisions'][number][]>();
  for (const d of h.take?.decisions ?? []) {
    const list = take.get(d.dataset);
    if (list) list.push(d);
    else take.set(d.dataset, [d]);
  }
  const clean = new Map((h.clean?.datasets ?? []).map((d) => [d.dataset, d.verdicts] as const));
  return {
    takeOf: (dataset: string) => take.get(dataset) ?? [],
    verdictsOf: (dataset: string) => clean.get(dataset) ?? [],
  };
}

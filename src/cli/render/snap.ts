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
    const names = [...h.policies.keys()];
    for (const dataset of names) {
      const p = h.policies.get(dataset)!;
      const take = h.take?.decisions.filter((d) => d.dataset === dataset) ?? [];
      const verdicts = h.clean?.datasets.find((d) => d.dataset === dataset)?.verdicts ?? [];
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
        take: (h.take?.decisions ?? []).filter((d) => d.dataset === dataset),
        snapshots: (h.clean?.datasets.find((d) => d.dataset === dataset)?.verdicts ?? []).map((v) => ({
          name: v.item.name,
          keep: v.keep,
          reasons: v.reasons,
        })),
      })),
    })),
    failures: r.failures,
  };
}

import type { StoreStatus } from '../../app/store/status.js';
import type { StorePrunePlan } from '../../domain/store/retention.js';
import { ageText, bytesText } from '../../domain/units.js';

// A plain aligned table (no colour: cron mails and `less` show it as is).
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

// How a store is set up, in one line (the key by its id only).
export function storeLine(st: StoreStatus): string {
  const c = st.config;
  const enc = c.encrypt ? `encrypted (key ${c.key && 'file' in c.key ? c.key.file : c.key ? `$${c.key.env}` : '?'})` : 'not encrypted';
  return `${st.url}  [${c.section}]  ${c.compress}, ${enc}, clean = ${c.policy.clean ? 'yes' : 'no'}${c.fullEvery ? `, full_every = ${c.fullEvery.text}` : ''}`;
}

// z3's status table, one block per dataset; broken chains say why under the row.
export function renderStatus(st: StoreStatus): string {
  const out = [storeLine(st)];
  if (st.localProblem) out.push(`# the source could not be listed (${st.localProblem}): LOCAL is unknown`);
  for (const d of st.datasets) {
    out.push('', `${d.dataset}${d.broken ? `  (${d.broken} broken chain${d.broken === 1 ? '' : 's'})` : ''}`);
    const rows = d.rows.map((r) => [
      r.snapshot,
      r.local ? 'yes' : 'no',
      r.remote ? 'yes' : 'no',
      r.kind === undefined ? '-' : r.kind === 'full' ? 'full' : 'incr',
      r.parent ?? '-',
      r.bytes === undefined ? '-' : bytesText(r.bytes),
      r.ageSec === undefined ? '-' : ageText(r.ageSec),
      r.health === 'local-only' ? '-' : r.health,
    ]);
    const lines = table(['SNAPSHOT', 'LOCAL', 'REMOTE', 'TYPE', 'PARENT', 'SIZE', 'AGE', 'CHAIN'], rows);
    out.push(...lines.slice(0, 1).map((l) => `  ${l}`));
    d.rows.forEach((r, i) => {
      out.push(`  ${lines[i + 1]}`);
      if (r.problem) out.push(`    ^ ${r.problem}`);
    });
  }
  for (const u of st.unreadable) out.push(`# ${u.key}: ${u.problem}`);
  if (st.foreign > 0) out.push(`# ${st.foreign} object${st.foreign === 1 ? '' : 's'} not written by holdfast (left alone)`);
  if (st.datasets.length === 0) out.push('# nothing stored yet');
  if (st.prune) out.push('', ...renderPrune(st.prune));
  return `${out.join('\n')}\n`;
}

// --explain: why each stored snapshot (its manifest and stream) is kept, or would go.
export function renderPrune(plans: readonly StorePrunePlan[]): string[] {
  const out: string[] = [];
  for (const p of plans) {
    out.push(`${p.dataset}  retention from [${p.section}]`);
    for (const v of p.verdicts)
      out.push(`  ${v.keep ? 'keep  ' : 'delete'} @${v.snapshot} (${v.kind === 'full' ? 'full' : 'incr'})  ${v.reasons.join('; ')}`);
    for (const o of p.orphans) out.push(`  ${o.keep ? 'keep  ' : 'delete'} ${o.key}  ${o.reason}`);
  }
  return out;
}

export function statusJson(st: StoreStatus): unknown {
  const c = st.config;
  return {
    url: st.url,
    section: c.section,
    compress: c.compress,
    encrypted: c.encrypt,
    clean: c.policy.clean,
    fullEvery: c.fullEvery?.text ?? null,
    healthy: st.datasets.every((d) => d.broken === 0) && st.unreadable.length === 0,
    datasets: st.datasets.map((d) => ({ dataset: d.dataset, broken: d.broken, snapshots: d.rows.map(({ dataset: _d, ...r }) => r) })),
    unreadable: st.unreadable,
    foreignObjects: st.foreign,
    localProblem: st.localProblem ?? null,
    ...(st.prune ? { retention: st.prune } : {}),
  };
}

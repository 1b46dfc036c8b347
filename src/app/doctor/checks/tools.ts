import { type Endpoint, endpointKey } from '../../../domain/endpoint.js';
import { messageOf } from '../../failures.js';
import { type DoctorCheck, type DoctorDeps, type Finding, sshTarget } from '../finding.js';
import { type Destination, hostLabel } from '../inventory.js';

// Compressors send knows (pyznap's list plus zstd), and the Debian package of each program.
export const COMPRESSORS = ['none', 'lzop', 'lz4', 'zstd', 'gzip', 'pigz', 'bzip2', 'xz'] as const;
const PACKAGE: Record<string, string> = { xz: 'xz-utils', mbuffer: 'mbuffer', pv: 'pv' };

// The programs a send between two hosts uses (as app/send/setup.ts picks them): mbuffer on both
// ends, the compressor on both ends when the stream crosses ssh (not for raw streams), and pv
// for progress where holdfast runs. Send goes on without any of them, so a missing one is a
// warning: uncompressed over the network, or unbuffered.
export function toolsFor(t: Destination): { endpoint: Endpoint; tool: string; why: string }[] {
  if (t.location.kind !== 'zfs') return [];
  const ends = [t.source, t.location.endpoint];
  if (ends.every((e) => e.kind === 'local')) return [];
  const why = `destination ${t.index + 1} of [${t.section}]`;
  const compress = t.compress !== 'none' && !t.raw && (COMPRESSORS as readonly string[]).includes(t.compress) ? [t.compress] : [];
  return ends.flatMap((endpoint) =>
    ['mbuffer', ...compress, ...(endpoint.kind === 'local' ? ['pv'] : [])].map((tool) => ({ endpoint, tool, why })),
  );
}

// Each host that takes part in a send over ssh has the programs the pipeline uses. A missing
// one does not fail the run (send goes on without it, as pyznap did), so it is a warning.
export const toolsCheck: DoctorCheck = async (d) => {
  const rows: Finding[] = [];
  const need = new Map<string, { endpoint: Endpoint; tools: Map<string, string> }>();
  for (const t of d.inventory.destinations) {
    if (t.location.kind === 'zfs' && !(COMPRESSORS as readonly string[]).includes(t.compress)) {
      const line = t.compressLine ?? t.line;
      rows.push({
        check: 'tools',
        where: `[${t.section}]`,
        status: 'warn',
        detail: `compress "${t.compress}" is not a known compressor (line ${line})`,
        fix: `use one of ${COMPRESSORS.join(', ')}`,
      });
    }
    for (const { endpoint, tool, why } of toolsFor(t)) {
      const k = endpointKey(endpoint);
      const e = need.get(k) ?? { endpoint, tools: new Map<string, string>() };
      if (!e.tools.has(tool)) e.tools.set(tool, why);
      need.set(k, e);
    }
  }
  const probed = await Promise.all([...need.values()].map(({ endpoint, tools }) => probeHost(d, endpoint, tools)));
  return [...rows, ...probed.flat()];
};

async function probeHost(d: DoctorDeps, e: Endpoint, tools: ReadonlyMap<string, string>): Promise<Finding[]> {
  const where = hostLabel(e);
  if (d.unreachable.has(endpointKey(e)))
    return [{ check: 'tools', where, status: 'skip', detail: 'not checked: ssh cannot reach the host' }];
  const names = [...tools.keys()];
  let found: ReadonlySet<string>;
  try {
    found = await d.tools(e);
  } catch (err) {
    return [
      {
        check: 'tools',
        where,
        status: 'warn',
        detail: `could not list programs: ${messageOf(err)}`,
        fix: `${e.kind === 'ssh' ? `ssh ${sshTarget(e)} ` : ''}command -v ${names.join(' ')}`,
      },
    ];
  }
  const missing = names.filter((n) => !found.has(n));
  if (missing.length === 0) return [{ check: 'tools', where, status: 'ok', detail: `${names.join(', ')} found` }];
  const pkgs = [...new Set(missing.map((m) => PACKAGE[m] ?? m))].join(' ');
  const effect = (m: string) =>
    m === 'mbuffer' ? '; send goes unbuffered' : m === 'pv' ? '; no progress display' : '; send goes uncompressed';
  const detail = missing.map((m) => `${m} missing (${tools.get(m)}${effect(m)})`).join('; ');
  return [{ check: 'tools', where, status: 'warn', detail, fix: `apt install ${pkgs}${e.kind === 'local' ? '' : ` on ${e.host}`}` }];
}

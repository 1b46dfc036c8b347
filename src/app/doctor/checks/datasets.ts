import { parentOf } from '../../../domain/dataset-name.js';
import { type Endpoint, endpointKey } from '../../../domain/endpoint.js';
import type { DoctorCheck, DoctorDeps, Finding } from '../finding.js';
import { hostLabel } from '../inventory.js';

const NOT_FOUND = /cannot open '([^']+)': dataset does not exist/g;
const IS_NOT_FOUND = /cannot open '[^']+': dataset does not exist/;

interface Want {
  readonly dataset: string;
  readonly row: (exists: boolean, poolExists: boolean, parentExists: boolean) => Finding | undefined;
}

// Every configured dataset exists, and every zfs destination exists or send can create it: the
// first full receive creates it under an existing parent, dest_auto_create creates missing
// parents (its pool must exist either way). One `zfs list` per host, no -r.
export const datasetsCheck: DoctorCheck = async (d) => {
  const byHost = new Map<string, { endpoint: Endpoint; wants: Want[] }>();
  const want = (e: Endpoint, w: Want) => {
    const k = endpointKey(e);
    byHost.set(k, { endpoint: e, wants: [...(byHost.get(k)?.wants ?? []), w] });
  };
  for (const s of d.inventory.sources) {
    const where = label(s.endpoint, s.dataset);
    want(s.endpoint, {
      dataset: s.dataset,
      row: (exists) =>
        exists
          ? { check: 'dataset', where, status: 'ok', detail: `exists ([${s.section}])` }
          : {
              check: 'dataset',
              where,
              status: 'fail',
              detail: `does not exist ([${s.section}], line ${s.line})`,
              fix: `zfs create -p ${s.dataset}${on(s.endpoint)}, or correct or remove [${s.section}] at line ${s.line}`,
            },
    });
  }
  for (const t of d.inventory.destinations) {
    if (t.location.kind !== 'zfs') continue;
    const { endpoint, dataset } = t.location;
    const where = label(endpoint, dataset);
    const pool = dataset.split('/')[0]!;
    const parent = parentOf(dataset) ?? pool;
    want(endpoint, {
      dataset,
      row: (exists, poolExists, parentExists) => {
        if (exists) return { check: 'dest', where, status: 'ok', detail: `exists (destination ${t.index + 1} of [${t.section}])` };
        if (!poolExists)
          return {
            check: 'dest',
            where,
            status: 'fail',
            detail: `pool ${pool} does not exist (destination ${t.index + 1} of [${t.section}], line ${t.line})`,
            fix: `create pool ${pool}${on(endpoint)}, or correct dest in [${t.section}]`,
          };
        if (parentExists) return { check: 'dest', where, status: 'ok', detail: 'does not exist yet; the first send creates it' };
        if (t.autoCreate)
          return {
            check: 'dest',
            where,
            status: 'ok',
            detail: `does not exist yet; send creates its parent ${parent} (dest_auto_create = yes), then it`,
          };
        return {
          check: 'dest',
          where,
          status: 'fail',
          detail: `does not exist, nor does its parent ${parent} (destination ${t.index + 1} of [${t.section}], line ${t.line})`,
          fix: `zfs create -p ${parent}${on(endpoint)}, or set dest_auto_create = yes in [${t.section}]`,
        };
      },
    });
  }
  const rows = await Promise.all([...byHost.values()].map(({ endpoint, wants }) => checkHost(d, endpoint, wants)));
  return rows.flat();
};

async function checkHost(d: DoctorDeps, e: Endpoint, wants: readonly Want[]): Promise<Finding[]> {
  if (d.unreachable.has(endpointKey(e)))
    return [{ check: 'dataset', where: hostLabel(e), status: 'skip', detail: 'not checked: ssh cannot reach the host' }];
  const names = [...new Set(wants.flatMap((w) => [w.dataset, w.dataset.split('/')[0]!, parentOf(w.dataset) ?? w.dataset]))];
  const r = await d.zfs(e).listNames(names, 30_000);
  const found = new Set(r.stdout.split('\n').filter(Boolean));
  const missing = new Set([...r.stderr.matchAll(NOT_FOUND)].map((m) => m[1]!));
  const other = r.stderr.split('\n').filter((l) => l.trim() && !IS_NOT_FOUND.test(l));
  if (r.exitCode !== 0 && missing.size === 0) {
    return [
      {
        check: 'dataset',
        where: hostLabel(e),
        status: 'fail',
        detail: `zfs list fails: ${other.join(' ') || `exit ${r.exitCode}`}`,
        fix: `run zfs list${on(e)} to see why`,
      },
    ];
  }
  return wants.flatMap(
    (w) => w.row(found.has(w.dataset), found.has(w.dataset.split('/')[0]!), found.has(parentOf(w.dataset) ?? w.dataset)) ?? [],
  );
}

const label = (e: Endpoint, dataset: string): string => (e.kind === 'local' ? dataset : `${hostLabel(e)}:${dataset}`);
const on = (e: Endpoint): string => (e.kind === 'local' ? '' : ` on ${hostLabel(e)}`);

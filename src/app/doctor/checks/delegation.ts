import { parentOf } from '../../../domain/dataset-name.js';
import { type Role, effectivePermissions, parseZfsAllow, permissionsFor } from '../../../domain/delegation.js';
import { type Endpoint, endpointKey } from '../../../domain/endpoint.js';
import type { DoctorCheck, DoctorDeps, Finding } from '../finding.js';
import { hostLabel } from '../inventory.js';

// A dataset and the roles holdfast plays on it.
interface Need {
  readonly endpoint: Endpoint;
  readonly dataset: string;
  readonly roles: Set<Role>;
}

// Least privilege: on every host where holdfast runs as a non-root account without elevate,
// `zfs allow DATASET` must grant what each role needs (README, "Running as a non-root user");
// a missing permission is a fail with the `zfs allow` line that grants it.
export const delegationCheck: DoctorCheck = async (d) => {
  const file = d.file;
  if (!file) return [];
  const needs = new Map<string, Need>();
  const need = (endpoint: Endpoint, dataset: string, ...roles: Role[]) => {
    const k = `${endpointKey(endpoint)}\u0000${dataset}`;
    const n = needs.get(k) ?? { endpoint, dataset, roles: new Set<Role>() };
    for (const r of roles) n.roles.add(r);
    needs.set(k, n);
  };
  for (const t of file.trees) {
    if (t.kind !== 'zfs') continue;
    if (t.policy.snap) need(t.endpoint, t.dataset, 'snapshot');
    if (t.policy.clean) need(t.endpoint, t.dataset, 'clean');
  }
  for (const s of file.sends) {
    if (s.kind !== 'zfs') continue;
    need(s.source.endpoint, s.source.dataset, 'send');
    need(s.dest.endpoint, s.dest.dataset, 'receive', ...(s.options.force ? (['force'] as const) : []));
  }
  const elevated = new Map(file.ssh.zfs.map(([e, h]) => [endpointKey(e), h.elevate !== 'none']));
  const accounts = new Map<string, Promise<Account | string>>();
  const rows: Finding[] = [];
  for (const n of needs.values()) {
    const k = endpointKey(n.endpoint);
    if (d.unreachable.has(k)) continue;
    if (elevated.get(k) ?? (file.ssh.defaultZfs?.elevate ?? 'none') !== 'none') continue; // zfs runs as root
    let a = accounts.get(k);
    if (!a) accounts.set(k, (a = accountOn(d, n.endpoint)));
    const account = await a;
    const where = n.endpoint.kind === 'local' ? n.dataset : `${hostLabel(n.endpoint)}:${n.dataset}`;
    if (typeof account === 'string') {
      rows.push({ check: 'delegation', where, status: 'skip', detail: `not checked: ${account}` });
      continue;
    }
    if (account.uid === 0) continue; // root needs no delegation
    rows.push(await checkOne(d, n, account, where));
  }
  return rows;
};

interface Account {
  readonly uid: number;
  readonly name: string;
  readonly groups: readonly string[];
}

// `id` on the host: uid=1001(hfu) gid=1001(hfu) groups=1001(hfu),27(sudo)
async function accountOn(d: DoctorDeps, e: Endpoint): Promise<Account | string> {
  const r = await d.exec(e, ['id'], 15_000);
  const m = /uid=(\d+)\(([^)]+)\)/.exec(r.stdout);
  if (r.exitCode !== 0 || !m) return `cannot tell which account holdfast runs as (id: ${r.stderr.trim() || `exit ${r.exitCode}`})`;
  const groups = [...(/groups=(\S+)/.exec(r.stdout)?.[1] ?? '').matchAll(/\(([^)]+)\)/g)].map((g) => g[1]!);
  return { uid: Number(m[1]), name: m[2]!, groups };
}

async function checkOne(d: DoctorDeps, n: Need, a: Account, where: string): Promise<Finding> {
  // A destination received for the first time does not exist yet: its nearest ancestor's grants apply.
  let target: string | undefined = n.dataset;
  let r = await d.exec(n.endpoint, ['zfs', 'allow', target], 15_000);
  while (r.exitCode !== 0 && /dataset does not exist/.test(r.stderr) && (target = parentOf(target!)) !== undefined)
    r = await d.exec(n.endpoint, ['zfs', 'allow', target], 15_000);
  if (r.exitCode !== 0 || target === undefined)
    return { check: 'delegation', where, status: 'skip', detail: `cannot read zfs allow there: ${r.stderr.trim().split('\n')[0] ?? ''}` };
  const have = effectivePermissions(parseZfsAllow(r.stdout), target, a.name, a.groups);
  const wanted = permissionsFor(n.roles);
  const missing = wanted.filter((p) => !have.has(p));
  const roles = [...n.roles].join(', ');
  if (missing.length === 0) return { check: 'delegation', where, status: 'ok', detail: `${a.name} may ${wanted.join(',')} (${roles})` };
  const on = n.endpoint.kind === 'local' ? '' : ` (on ${hostLabel(n.endpoint)})`;
  return {
    check: 'delegation',
    where,
    status: 'fail',
    detail: `${a.name} lacks ${missing.join(',')} for ${roles}`,
    fix: `zfs allow -u ${a.name} ${missing.join(',')} ${target}${on}`,
  };
}

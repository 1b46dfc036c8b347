import { type Endpoint, LOCAL, endpointKey } from '../../../domain/endpoint.js';
import { messageOf } from '../../failures.js';
import type { StoreCapabilities, ZfsCapabilities } from '../../ports.js';
import { type DoctorCheck, type DoctorDeps, type Finding, sshTarget } from '../finding.js';
import { hostLabel } from '../inventory.js';

// zfs on every host: the same `zfs version` probe each run makes (what it can do decides the
// commands holdfast uses), then `zpool list`, which fails when the module or daemon is down.
export const zfsCheck: DoctorCheck = async (d) => {
  const hosts = d.inventory.hosts.length > 0 ? d.inventory.hosts.map((h) => h.endpoint) : [LOCAL];
  const rows = await Promise.all(hosts.map((e) => (d.unreachable.has(endpointKey(e)) ? [skipped(e)] : probe(d, e))));
  return rows.flat();
};

async function probe(d: DoctorDeps, e: Endpoint): Promise<Finding[]> {
  const where = hostLabel(e);
  const on = e.kind === 'local' ? '' : ` on ${e.host}`;
  let caps: StoreCapabilities;
  try {
    caps = await d.zfs(e).capabilities();
  } catch (err) {
    const fix =
      e.kind === 'local'
        ? 'apt install zfsutils-linux (or zfs-fuse)'
        : `install zfs${on}, or check that \`ssh ${sshTarget(e)} zfs version\` finds it (zfs often lives in /usr/sbin)`;
    return [{ check: 'zfs', where, status: 'fail', detail: `zfs does not run: ${messageOf(err)}`, fix }];
  }
  const pools = await d.zfs(e).pools(20_000);
  if (pools.exitCode !== 0) {
    const why = pools.stderr.trim().split('\n').filter(Boolean).join(' ') || `exit ${pools.exitCode}`;
    const fix = /zfs-fuse/.test(why)
      ? `start the zfs-fuse daemon${on} (systemctl start zfs-fuse)`
      : /\/dev\/zfs|modprobe/.test(why)
        ? `modprobe zfs${on}`
        : `run zpool list${on} to see why`;
    return [{ check: 'zfs', where, status: 'fail', detail: `${describe(caps)}, but zpool list fails: ${why}`, fix }];
  }
  const names = pools.stdout.split('\n').filter(Boolean);
  const status = caps.flavor === 'other' ? 'warn' : 'ok';
  const row: Finding = { check: 'zfs', where, status, detail: `${describe(caps)}; pools: ${names.join(', ') || 'none'}` };
  return [status === 'warn' ? { ...row, fix: 'tell the holdfast developers what `zfs version` prints here' } : row];
}

// "OpenZFS 2.1.11 (modern paths)" or "zfs-fuse (legacy paths: ...)".
function describe(c: StoreCapabilities): string {
  const z = c as ZfsCapabilities;
  if (c.flavor === 'openzfs') {
    const has = (['resume', 'rawSend', 'bookmarks', 'holdsList'] as const).filter((k) => z[k]);
    return `OpenZFS ${c.version ?? '?'} (batched snapshot/destroy${has.length ? `, ${has.join(', ')}` : ''})`;
  }
  if (c.flavor === 'zfs-fuse')
    return 'zfs-fuse (legacy paths: one snapshot per call, no resume, no holds listing; bookmarks unavailable: send holds every base, hold_base = no is ignored)';
  return 'an unrecognised zfs (`zfs version` not understood; legacy paths)';
}

function skipped(e: Endpoint): Finding {
  return { check: 'zfs', where: hostLabel(e), status: 'skip', detail: 'not checked: ssh cannot reach the host' };
}

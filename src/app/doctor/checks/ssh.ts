import { statSync } from 'node:fs';
import { type SshEndpoint, endpointKey } from '../../../domain/endpoint.js';
import { hostKeyAdvice } from '../../../domain/ssh-advice.js';
import { type DoctorCheck, type Finding, sshTarget } from '../finding.js';
import { type Host, hostLabel } from '../inventory.js';

// Every ssh host the config names answers a BatchMode ssh with its key (as cron would run it).
// Hosts that do not are remembered, so later checks skip them instead of timing out again.
export const sshCheck: DoctorCheck = async (d) => {
  const remote = d.inventory.hosts.filter((h): h is Host & { endpoint: SshEndpoint } => h.endpoint.kind === 'ssh');
  const rows = await Promise.all(remote.map((h) => checkHost(d, h)));
  return rows.flat();
};

async function checkHost(d: Parameters<DoctorCheck>[0], h: Host & { endpoint: SshEndpoint }): Promise<Finding[]> {
  const where = hostLabel(h.endpoint);
  const rows: Finding[] = [];
  const key = h.key ? expandHome(h.key) : undefined;
  const keyRow = key ? keyProblem(key, h.endpoint) : undefined;
  if (keyRow) rows.push(keyRow);
  const t0 = performance.now();
  const r = await d.exec(h.endpoint, ['true'], 20_000);
  const using = key && !keyRow ? `key ${key}` : "ssh's default keys and agent";
  if (r.exitCode === 0) {
    rows.push({ check: 'ssh', where, status: 'ok', detail: `reachable in ${Math.round(performance.now() - t0)} ms with ${using}` });
    return rows;
  }
  d.unreachable.add(endpointKey(h.endpoint));
  rows.push({ check: 'ssh', where, status: 'fail', ...diagnose(r.stderr, r.exitCode, h, key, r.sshFix) });
  return rows;
}

// ssh's own words, turned into a reason and the command that fixes it.
export function diagnose(
  stderr: string,
  exitCode: number,
  h: Host & { endpoint: SshEndpoint },
  key: string | undefined,
  sshFix?: string,
): { detail: string; fix: string } {
  const e = h.endpoint;
  const at = `[${h.origin.section}] (line ${h.origin.line})`;
  const last = stderr.trim().split('\n').filter(Boolean).pop() ?? `ssh exited ${exitCode}`;
  if (/Permission denied/.test(stderr)) {
    return { detail: `the server refused the key (${last})`, fix: `ssh-copy-id -i ${key ?? '~/.ssh/id_ed25519'}.pub ${sshTarget(e)}` };
  }
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
    const fix = sshFix ?? hostKeyAdvice(stderr, e)!;
    return { detail: /has changed/.test(fix) ? 'the host key has changed' : 'the host key is unknown', fix };
  }
  if (/Connection refused/.test(stderr)) {
    return { detail: `connection refused on port ${e.port ?? 22}`, fix: `start sshd on ${e.host}, or correct the port in ${at}` };
  }
  if (/Could not resolve hostname|Name or service not known|Temporary failure in name resolution/.test(stderr)) {
    return { detail: `host name ${e.host} not found`, fix: `correct the host in ${at}, or add it to /etc/hosts or ~/.ssh/config` };
  }
  if (/timed out|No route to host|Network is unreachable/.test(stderr)) {
    return {
      detail: `no answer from ${e.host} port ${e.port ?? 22} (${last})`,
      fix: `check that ${e.host} is up and its firewall lets port ${e.port ?? 22} through`,
    };
  }
  return { detail: `ssh failed (exit ${exitCode}): ${last}`, fix: `ssh -v ${sshTarget(e)} true  (shows why)` };
}

// ssh ignores a private key others can read ("UNPROTECTED PRIVATE KEY FILE"); a missing one
// is a config error (nothing runs until it exists or the path is corrected).
function keyProblem(key: string, e: SshEndpoint): Finding | undefined {
  const where = hostLabel(e);
  try {
    const mode = statSync(key).mode & 0o777;
    if (mode & 0o077)
      return {
        check: 'ssh',
        where,
        status: 'fail',
        detail: `key ${key} has mode ${mode.toString(8).padStart(4, '0')}; ssh refuses keys others can read`,
        fix: `chmod 600 ${key}`,
      };
    return undefined;
  } catch {
    return {
      check: 'ssh',
      where,
      status: 'fail',
      detail: `key ${key} does not exist; runs stop with a config error until it does`,
      fix: `ssh-keygen -t ed25519 -f ${key} && ssh-copy-id -i ${key}.pub ${sshTarget(e)}, or correct the key path`,
    };
  }
}

export function expandHome(p: string): string {
  const home = process.env.HOME ?? '/root';
  return p === '~' || p.startsWith('~/') ? home + p.slice(1) : p;
}

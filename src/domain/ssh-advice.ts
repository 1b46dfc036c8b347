import type { SshEndpoint } from './endpoint.js';

const DEFAULT_KNOWN_HOSTS = '~/.ssh/known_hosts';

// ssh refused the host's key (unknown, or changed since it was recorded): what happened and the
// commands that fix it, naming the known_hosts file this run's ssh reads. undefined for any
// other failure. Shared by every command's ssh errors and by `holdfast doctor`.
export function hostKeyAdvice(stderr: string, e: SshEndpoint, sshOptions: readonly string[] = []): string | undefined {
  const changed = /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/.test(stderr);
  if (!changed && !/Host key verification failed/.test(stderr)) return undefined;
  const file = knownHostsFile(sshOptions);
  const port = e.port !== undefined ? `-p ${e.port} ` : '';
  const scan = `ssh-keyscan ${port}${e.host}`;
  const check = `compare \`${scan} | ssh-keygen -lf -\` with \`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` run on ${e.host}`;
  const who = `${e.host}${e.port !== undefined ? ` (port ${e.port})` : ''}`;
  if (changed) {
    const entry = e.port !== undefined && e.port !== 22 ? `'[${e.host}]:${e.port}'` : e.host;
    const remove = `ssh-keygen -R ${entry}${file === DEFAULT_KNOWN_HOSTS ? '' : ` -f ${file}`}`;
    return `the host key of ${who} has changed since it was recorded in ${file}; unless ${e.host} was reinstalled, someone may be intercepting the connection. If it was: ${check}, then ${remove} && ${scan} >> ${file}`;
  }
  return `the host key of ${who} is not in ${file}; verify its fingerprint first (${check}), then add it: ${scan} >> ${file}`;
}

// The first file of `-o UserKnownHostsFile=…` among the run's options, else ssh's default.
function knownHostsFile(options: readonly string[]): string {
  for (const o of options) {
    const m = /^\s*UserKnownHostsFile\s*[= ]\s*(\S+)/i.exec(o);
    if (m) return /^[\w~/.,:+@%-]+$/.test(m[1]!) ? m[1]! : `'${m[1]!.replace(/'/g, `'\\''`)}'`;
  }
  return DEFAULT_KNOWN_HOSTS;
}

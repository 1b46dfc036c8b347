// Where commands run: this host, or a host reached over ssh.
export type Endpoint = { readonly kind: 'local' } | SshEndpoint;

export interface SshEndpoint {
  readonly kind: 'ssh';
  readonly user?: string; // unset: ssh's own default (~/.ssh/config, current user)
  readonly host: string;
  readonly port?: number; // unset: ssh's own default (22 or ~/.ssh/config)
}

export const LOCAL: Endpoint = { kind: 'local' };

// A stable key per host, so inheritance and connection sharing treat `ssh::u@h` and
// `ssh:22:u@h` as the same machine (pyznap did not).
export function endpointKey(e: Endpoint): string {
  if (e.kind === 'local') return 'local';
  return `ssh:${e.port ?? 22}:${e.user ?? ''}@${e.host}`;
}

// How logs, messages and tables name a place: as the policy file writes it, so a line can be
// found in the config and pasted back into it. "tank/data" on this host;
// "ssh:PORT:USER@HOST:tank/data" on another (PORT and USER as written, an IPv6 host in
// brackets). Without a name, the host alone: "ssh:PORT:USER@HOST", or "this host".
export function placeLabel(e: Endpoint, name?: string): string {
  if (e.kind === 'local') return name ?? 'this host';
  const at = `ssh:${e.port ?? ''}:${userAt(e)}${bracketed(e.host)}`;
  return name === undefined ? at : `${at}:${name}`;
}

// How a backup source names a remote directory, as its config writes it and rsync reads it:
// "USER@HOST:/path" (an IPv6 host in brackets); the port travels apart (ssh -p).
export function remotePathLabel(e: SshEndpoint, path: string): string {
  return `${userAt(e)}${bracketed(e.host)}:${path}`;
}

// ssh's own destination argument: "USER@HOST", or "HOST" for ssh's default user (an IPv6 host
// bare: ssh takes it so).
export function sshDestination(e: SshEndpoint): string {
  return `${userAt(e)}${e.host}`;
}

const userAt = (e: SshEndpoint): string => (e.user ? `${e.user}@` : '');
const bracketed = (host: string): string => (host.includes(':') ? `[${host}]` : host);

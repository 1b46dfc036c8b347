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
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  const at = `ssh:${e.port ?? ''}:${e.user ? `${e.user}@` : ''}${host}`;
  return name === undefined ? at : `${at}:${name}`;
}

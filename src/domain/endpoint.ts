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

// How logs show a host, pyznap style: "user@host".
export function endpointLabel(e: Endpoint): string {
  if (e.kind === 'local') return 'local';
  const port = e.port && e.port !== 22 ? `:${e.port}` : '';
  return `${e.user ? `${e.user}@` : ''}${e.host}${port}`;
}

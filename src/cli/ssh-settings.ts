import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import type { SshSettings } from '../adapters/exec/ssh.js';
import type { PolicyFile } from '../config/policy-file.js';
import { type SshEndpoint, endpointKey } from '../domain/endpoint.js';

// ssh identities from the config: a section's `key` applies to its host. A missing key file
// falls back to ssh's own defaults (agent, ~/.ssh/config), as the README explains.
export function sshSettingsFrom(file: PolicyFile, extra: Partial<SshSettings> = {}): SshSettings {
  const keys = new Map<string, string>();
  for (const s of file.sections) {
    const key = (s.values.get('key') ?? file.defaults.values.get('key'))?.value;
    if (s.location?.kind === 'zfs' && s.location.endpoint.kind === 'ssh' && typeof key === 'string' && key) {
      keys.set(endpointKey(s.location.endpoint), expandHome(key));
    }
  }
  return {
    identity: (e: SshEndpoint) => {
      const k = keys.get(endpointKey(e));
      return k && existsSync(k) ? k : undefined;
    },
    ...extra,
  };
}

export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

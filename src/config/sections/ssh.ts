import type { Endpoint } from '../../domain/endpoint.js';
import type { PolicyResolver } from '../resolve.js';

// What the file says about ssh: an identity per host (the key of each ssh:… zfs section, in file
// order), and [DEFAULT]'s ssh_options and ssh_cipher for every connection.
export interface SshConfig {
  readonly keys: readonly (readonly [Endpoint, string])[];
  readonly options?: readonly string[];
  readonly cipher?: string;
}

export function sshConfig(r: PolicyResolver): SshConfig {
  const keys = r.file.sections.flatMap((s) => {
    const key = r.value(s, 'key')?.value;
    return s.location?.kind === 'zfs' && key ? [[s.location.endpoint, key] as const] : [];
  });
  const options = r.file.defaults.values.ssh_options?.value;
  const cipher = r.file.defaults.values.ssh_cipher?.value;
  return { keys, ...(options ? { options } : {}), ...(cipher ? { cipher } : {}) };
}

import { type Endpoint, endpointKey } from '../../domain/endpoint.js';
import type { HostZfs } from '../../domain/host-zfs.js';
import type { PolicyResolver } from '../resolve.js';

// What the file says about ssh: an identity per host (the key of each ssh:… zfs section, in file
// order), and [DEFAULT]'s ssh_options and ssh_cipher for every connection.
export interface SshConfig {
  readonly keys: readonly (readonly [Endpoint, string])[];
  readonly options?: readonly string[];
  readonly cipher?: string;
  // zfs_path and elevate: per host (the first zfs section of a host that has either, itself or
  // by inheritance), and [DEFAULT]'s for a host without a section.
  readonly zfs: readonly (readonly [Endpoint, HostZfs])[];
  readonly defaultZfs?: HostZfs;
}

export function sshConfig(r: PolicyResolver): SshConfig {
  const keys = r.file.sections.flatMap((s) => {
    const key = r.value(s, 'key')?.value;
    return s.location?.kind === 'zfs' && key ? [[s.location.endpoint, key] as const] : [];
  });
  const options = r.file.defaults.values.ssh_options?.value;
  const cipher = r.file.defaults.values.ssh_cipher?.value;
  const seen = new Set<string>();
  const zfs = r.file.sections.flatMap((s) => {
    if (s.location?.kind !== 'zfs' || seen.has(endpointKey(s.location.endpoint))) return [];
    const h = hostZfs(r.value(s, 'zfs_path')?.value, r.value(s, 'elevate')?.value);
    if (!h) return [];
    seen.add(endpointKey(s.location.endpoint));
    return [[s.location.endpoint, h] as const];
  });
  const d = hostZfs(r.file.defaults.values.zfs_path?.value, r.file.defaults.values.elevate?.value);
  return { keys, ...(options ? { options } : {}), ...(cipher ? { cipher } : {}), zfs, ...(d ? { defaultZfs: d } : {}) };
}

function hostZfs(path: string | undefined, elevate: HostZfs['elevate'] | undefined): HostZfs | undefined {
  if (path === undefined && elevate === undefined) return undefined;
  return { ...(path ? { path } : {}), elevate: elevate ?? 'none' };
}

import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import type { SshSettings } from '../../adapters/exec/ssh.js';
import type { PolicyFile } from '../../config/policy-file.js';
import { type Endpoint, type SshEndpoint, endpointKey } from '../../domain/endpoint.js';

// What a command adds to the config's ssh settings: identities for particular hosts (dest_keys,
// -i/-j/-k, btrfs dest keys) and the -o/-c flags, which beat [DEFAULT] ssh_options/ssh_cipher.
export interface SshOverrides {
  keys?: Iterable<readonly [Endpoint, string | undefined]>;
  options?: readonly string[] | undefined;
  cipher?: string | undefined;
  fallbackKey?: string | undefined; // a key for every host that has none (the views' -i)
}

// The one place every command gets ssh from, so snap, send, the views, the stores and btrfs-send
// reach a host the same way: an identity per host (the overrides first, then the `key` of the
// host's section, inherited), then ssh_options and ssh_cipher from [DEFAULT] unless a flag gives
// them. A key file that does not exist never gets here (a config error at its line, or a usage
// error naming its flag); one this user cannot read falls back to ssh's own defaults (agent,
// ~/.ssh/config).
export function sshSettingsFrom(file: PolicyFile | undefined, o: SshOverrides = {}): SshSettings {
  const keys = new Map<string, string>();
  const put = (e: Endpoint, key: string | undefined): void => {
    if (e.kind === 'ssh' && key && !keys.has(endpointKey(e))) keys.set(endpointKey(e), expandHome(key));
  };
  for (const [e, key] of [...(o.keys ?? []), ...(file?.ssh.keys ?? [])]) put(e, key);
  const options = o.options ?? file?.ssh.options;
  const cipher = o.cipher ?? file?.ssh.cipher;
  const fallback = o.fallbackKey ? expandHome(o.fallbackKey) : undefined;
  const zfs = new Map((file?.ssh.zfs ?? []).map(([e, h]) => [endpointKey(e), h]));
  const defaultZfs = file?.ssh.defaultZfs;
  return {
    zfs: (e: Endpoint) => zfs.get(endpointKey(e)) ?? defaultZfs,
    identity: (e: SshEndpoint) => {
      const k = keys.get(endpointKey(e));
      return k && readable(k) ? k : fallback;
    },
    ...(options && options.length > 0 ? { options: [...options] } : {}),
    ...(cipher ? { cipher } : {}),
  };
}

export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

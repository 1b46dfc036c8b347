import { existsSync } from 'node:fs';
import type { SshSettings } from '../../adapters/exec/ssh.js';
import { jobsFromConfig } from '../../app/send-jobs.js';
import type { PolicyFile } from '../../config/policy-file.js';
import type { CommandEnv } from '../env.js';
import { sendSshSettings } from '../render/send-wiring.js';
import type { ViewFlags } from './view-options.js';

// What the view commands' bodies (tree, compare, cleanup, monitor) share: the config, and ssh.

// The config when it is needed or exists; a view of a location given by hand needs none.
export async function optionalConfig(env: CommandEnv, needed: boolean): Promise<PolicyFile | undefined> {
  return needed || existsSync(env.g.config) ? env.config() : undefined;
}

// ssh for the views: the config's keys, dest_keys, ssh_options and ssh_cipher (as send), plus -i/-o.
export function viewSsh(file: PolicyFile | undefined, o: ViewFlags): SshSettings {
  const base = sendSshSettings(file, file ? jobsFromConfig(file).jobs : [], o.sshOption ? { sshOption: o.sshOption } : {});
  return o.key ? { ...base, identity: (e) => base.identity?.(e) ?? o.key } : base;
}

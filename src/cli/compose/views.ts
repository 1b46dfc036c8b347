import { existsSync } from 'node:fs';
import type { SshSettings } from '../../adapters/exec/ssh.js';
import { jobsFromConfig } from '../../app/send/jobs.js';
import type { PolicyFile } from '../../config/policy-file.js';
import type { CommandEnv } from './env.js';
import { checkKeyFlag } from '../flag-checks.js';
import { sshSettingsFrom } from './ssh.js';
import type { ViewFlags } from '../commands/view-options.js';

// What the view commands' bodies (tree, compare, cleanup, monitor) share: the config, and ssh.

// The config when it is needed or exists; a view of a location given by hand needs none.
export async function optionalConfig(env: CommandEnv, needed: boolean): Promise<PolicyFile | undefined> {
  return needed || existsSync(env.g.config) ? env.config() : undefined;
}

// ssh for the views: the config's keys, dest_keys, ssh_options and ssh_cipher (as send), plus -i/-o.
export function viewSsh(file: PolicyFile | undefined, o: ViewFlags): SshSettings {
  checkKeyFlag('-i', o.key);
  const jobs = file ? jobsFromConfig(file).jobs : [];
  return sshSettingsFrom(file, {
    keys: jobs.flatMap((j) => [[j.dest.endpoint, j.options.destKey] as const, [j.source.endpoint, j.options.sourceKey] as const]),
    options: o.sshOption,
    fallbackKey: o.key,
  });
}

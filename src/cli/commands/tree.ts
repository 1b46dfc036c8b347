import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { SshSettings } from '../../adapters/exec/ssh.js';
import { jobsFromConfig } from '../../app/send-jobs.js';
import { TreeArgumentError, treeTargets } from '../../app/tree-targets.js';
import { runTree } from '../../app/tree.js';
import type { PolicyFile } from '../../config/policy-file.js';
import { example, runs } from '../action.js';
import type { CommandEnv } from '../env.js';
import { EXIT, UsageError } from '../exit-codes.js';
import type { ExitSink } from '../program.js';
import { renderTrees, treesJson } from '../render/tree.js';
import { colourWanted, styleFor } from '../render/tree-style.js';
import { sendSshSettings } from '../render/send-wiring.js';

export interface ViewFlags {
  key?: string;
  sshOption?: string[];
}

// `holdfast tree [source|target|DEST]`: datasets with snapshot counts per type, the newest
// snapshot's age, space and compression, for local and ssh locations.
export function registerTree(program: Command, sink: ExitSink): void {
  viewOptions(
    program
      .command('tree')
      .argument('[what]', 'source (default): every configured dataset; target: every destination; or a section, dataset or ssh:PORT:USER@HOST:DATASET')
      .description('show dataset trees: snapshots per type, newest snapshot age, used, referenced, compression ratio'),
  )
    .addHelpText('after', example(`
      holdfast tree
      holdfast tree target
      holdfast --json tree ssh:22:root@nas:backup/data`))
    .action(runs<ViewFlags>(sink, (env, o, args) => tree(env, o, args[0])));
}

async function tree(env: CommandEnv, o: ViewFlags, what: string | undefined): Promise<number> {
  const file = await optionalConfig(env, what === undefined || what === 'source' || what === 'target');
  let targets;
  try {
    targets = treeTargets(file, what);
  } catch (e) {
    if (e instanceof TreeArgumentError) throw new UsageError(e.message);
    throw e;
  }
  const { ctx } = await env.app(viewSsh(file, o));
  const views = await runTree(ctx, targets);
  env.out(env.g.json ? `${JSON.stringify(treesJson(views), null, 2)}\n` : renderTrees(views, styleFor(colourWanted(process.stdout))));
  return views.some((v) => v.problem) ? EXIT.partial : EXIT.ok;
}

// The config when it is needed or exists; a view of a location given by hand needs none.
export async function optionalConfig(env: CommandEnv, needed: boolean): Promise<PolicyFile | undefined> {
  return needed || existsSync(env.g.config) ? env.config() : undefined;
}

// ssh for the views: the config's keys, dest_keys, ssh_options and ssh_cipher (as send), plus -i/-o.
export function viewSsh(file: PolicyFile | undefined, o: ViewFlags): SshSettings {
  const base = sendSshSettings(file, file ? jobsFromConfig(file).jobs : [], o.sshOption ? { sshOption: o.sshOption } : {});
  return o.key ? { ...base, identity: (e) => base.identity?.(e) ?? o.key } : base;
}

export function viewOptions(c: Command): Command {
  const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];
  return c.option('-i, --key <file>', 'ssh identity for hosts the config gives none').option('-o, --ssh-option <option>', 'extra ssh -o option (repeatable)', collect);
}

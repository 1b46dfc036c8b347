import type { Command } from 'commander';

// The ssh options of the view commands (tree, compare, cleanup, monitor). Registration-side:
// commander only; the settings they feed are built in cli/compose/views.ts when a command runs.
export interface ViewFlags {
  key?: string;
  sshOption?: string[];
}

export function viewOptions(c: Command): Command {
  const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), v];
  return c
    .option('-i, --key <file>', 'ssh identity for hosts the config gives none')
    .option('-o, --ssh-option <option>', 'extra ssh -o option (repeatable)', collect);
}

import { Argument, type Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';

// `holdfast completion bash|zsh|fish`: print a completion script generated from --help's tree.
// The body loads on use (completion-run.ts).
export function registerCompletion(program: Command, sink: ExitSink): void {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish), generated from the same tree as --help')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      example(`
      holdfast setup --completions    # installs all three where each shell looks
      holdfast completion bash > ~/.local/share/bash-completion/completions/holdfast
      holdfast completion fish > ~/.config/fish/completions/holdfast.fish`),
    )
    .action(
      runs<Record<string, never>>(
        sink,
        lazy(() => import('./completion-run.js').then((m) => m.completionBody(program))),
      ),
    );
}

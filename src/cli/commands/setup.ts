import type { Command } from 'commander';
import { runSetup } from '../../app/setup.js';
import { example, runs } from '../action.js';
import { EXIT } from '../exit-codes.js';
import type { ExitSink } from '../program.js';

// `holdfast setup [-p DIR]`: scaffold /etc/holdfast with a commented sample; never overwrite.
export function registerSetup(program: Command, sink: ExitSink): void {
  program
    .command('setup')
    .description('create the config directory with a commented sample holdfast.conf (never overwrites)')
    .option('-p, --path <dir>', 'config directory', '/etc/holdfast')
    .addHelpText('after', example('holdfast setup\nholdfast setup -p /tmp/holdfast-test'))
    .action(
      runs<{ path: string }>(sink, async (env, o) => {
        for (const line of await runSetup(o.path, env.g.dryRun)) env.out(`${line}\n`);
        return EXIT.ok;
      }),
    );
}

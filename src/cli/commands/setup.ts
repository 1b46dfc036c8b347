import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { SetupFlags } from './setup-run.js';

// `holdfast setup [-p DIR] [--systemd|--cron]`: scaffold /etc/holdfast with a commented sample;
// optionally install the schedule, showing every file before it is written. Never overwrites
// silently: a differing file is kept unless --force. `--man`/`--completions` install the man page
// and the bash, zsh and fish completions where man and each shell look (and nothing else).
// The body loads on use (setup-run.ts).
export function registerSetup(program: Command, sink: ExitSink): void {
  program
    .command('setup')
    .description(
      'create the config directory with a commented sample holdfast.conf (never overwrites); --systemd or --cron also installs the schedule; --man and --completions install the man page and shell completions',
    )
    .option('-p, --path <dir>', 'config directory', '/etc/holdfast')
    .option('--systemd', 'install holdfast-snap and holdfast-send services and timers in /etc/systemd/system')
    .option('--cron', 'install /etc/cron.d/holdfast (snap every 15 minutes, send nightly) and /etc/logrotate.d/holdfast')
    .option('--man', 'install the man page in /usr/local/share/man/man1 (man holdfast)')
    .option('--completions', 'install bash, zsh and fish completions where each shell looks')
    .option('--force', 'replace schedule files that exist and differ (they are shown first)')
    .option('--root <dir>', 'install under DIR instead of / (for images and tests)', '/')
    .addHelpText(
      'after',
      example(
        'holdfast setup\nholdfast --dry-run setup --systemd\nholdfast setup --cron\nholdfast setup --man --completions\nholdfast setup -p /tmp/holdfast-test',
      ),
    )
    .action(
      runs<SetupFlags>(
        sink,
        lazy(() => import('./setup-run.js').then((m) => m.setupBody(program))),
      ),
    );
}

import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { RestoreFlags } from './restore-run.js';

// `holdfast restore DEST DATASET@SNAP --to TARGET`: the chain from its full, through its checks,
// into zfs receive (z3's restore). --dry-run shows every link and its stages.
export function registerRestore(program: Command, sink: ExitSink): void {
  program
    .command('restore')
    .argument('<dest>', 's3://BUCKET/PREFIX or file:///PATH')
    .argument('<snapshot>', 'DATASET@SNAPSHOT as stored (holdfast status DEST lists them)')
    .description(
      'restore a stored snapshot into a new dataset: its chain from the full stream, each link checked (sha256) while it streams into zfs receive',
    )
    .requiredOption('--to <target>', 'the dataset to create (or ssh:PORT:USER@HOST:DATASET)')
    .option('--force', 'overwrite an existing target (zfs receive -F)')
    .option('--key-file <path>', 'key file (mode 0600) when the config does not name one')
    .option('--key-env <name>', 'environment variable holding the key, when the config does not name one')
    .option('--verify-first', 'download and check every link before receiving anything (reads the chain twice)')
    .addHelpText(
      'after',
      example(`
      holdfast restore s3://backups/tank tank/data@holdfast_2026-11-22_00:00:00_daily --to tank/restored
      holdfast --dry-run restore file:///mnt/usb/tank tank/data@daily-1 --to tank/check --key-file /root/backup.key`),
    )
    .action(
      runs<RestoreFlags>(
        sink,
        lazy(() => import('./restore-run.js').then((m) => m.restoreBody)),
      ),
    );
}

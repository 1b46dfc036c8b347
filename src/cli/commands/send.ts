import { type Command, Option } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { SendFlags } from './send-run.js';

// `holdfast send`: every section with a dest, or one -s/-d pair; push, pull, or relayed.
// The body loads on use (send-run.ts), so other commands do not pay for it.
export function registerSend(program: Command, sink: ExitSink): void {
  program
    .command('send')
    .description('replicate datasets (and their children) to every dest, incrementally, locally or over ssh')
    .option('-s, --source <location>', 'source dataset or ssh:PORT:USER@HOST:DATASET (with -d: no config needed)')
    .option('-d, --dest <location>', 'destination dataset or ssh:PORT:USER@HOST:DATASET')
    .option('-c, --compress <name>', 'none, lzop (default over ssh), lz4, zstd, gzip, pigz, bzip2, xz')
    .option('-i, --key <file>', 'ssh identity: for the destination if it is remote, else for the source')
    .option('-j, --source-key <file>', 'ssh identity for the source')
    .option('-k, --dest-key <file>', 'ssh identity for the destination')
    .option('-e, --exclude <pattern...>', 'fnmatch pattern of source datasets not to send (their children neither); repeatable')
    .option('-w, --raw', 'raw send (zfs send -w): encrypted datasets stay encrypted; no compression')
    .option('-r, --resume', 'resumable receive (zfs receive -s, OpenZFS)')
    .option('--dest-auto-create', "create the destination's missing parents (zfs create -p)")
    .option('--retries <n>', 'retries after a transient failure (ssh, receive)', '0')
    .option('--retry-interval <seconds>', 'seconds between retries', '10')
    .option('--force', 'let send destroy destination-only snapshots or replace a conflicting destination')
    .addOption(
      new Option('--initial <mode>', 'first replication: oldest snapshot in full then the rest, or the newest only').choices([
        'oldest',
        'newest',
      ]),
    )
    .addOption(new Option('--send-types <mode>', "kept: only snapshot types the destination's own section keeps").choices(['all', 'kept']))
    .option('--props', 'send dataset properties (zfs send -p)')
    .option('--mount', 'mount received datasets (default: zfs receive -u)')
    .option('--bwlimit <rate>', 'bandwidth limit per transfer, bytes per second: 512K, 10M, 1G (K = 1024), or none; over the bwlimit key')
    .option('--parallel <n>', 'transfers in flight at most in this run (default: send_parallel, 4)')
    .option('--no-clean', 'do not prune destinations that have a section of their own afterwards')
    .option('-o, --ssh-option <option...>', 'extra ssh -o option (repeatable)')
    .option('--ssh-cipher <cipher>', 'ssh cipher (ssh -c)')
    .option(
      '--full',
      's3:// and file:// destinations: upload a full stream (of the newest snapshot, or of --snapshot), as z3 backup --full',
    )
    .option('--snapshot <name>', 's3:// and file:// destinations: upload up to this snapshot only (z3 --snapshot)')
    .option('--prometheus <file>', "write this run's metrics to a node_exporter textfile (atomically)")
    // Hidden: lets a test see the per-minute progress lines of a log in seconds.
    .addOption(
      new Option('--progress-interval <seconds>', 'seconds between progress lines when stderr is not a terminal').default('60').hideHelp(),
    )
    .addHelpText(
      'after',
      example(`
      0 * * * * root holdfast send >> /var/log/holdfast.log 2>&1
      holdfast send -s tank/data -d ssh:22:root@backup:pool/data -c zstd
      holdfast --dry-run send -s ssh::root@nas:tank/home -d backup/home`),
    )
    .action(
      runs<SendFlags>(
        sink,
        lazy(() => import('./send-run.js').then((m) => m.sendBody)),
      ),
    );
}

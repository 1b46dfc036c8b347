import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { DoctorFlags } from './doctor-run.js';

// `holdfast doctor`: is this host (and every host the config names) ready for the next cron run?
// The body loads on use (doctor-run.ts).
export function registerDoctor(program: Command, sink: ExitSink): void {
  program
    .command('doctor')
    .description(
      'check this host and every configured remote (config file, zfs, ssh and keys, datasets and destinations, send tools, S3, lock directory, notifications, schedule) and say what to fix; exit 1 when the next run would fail',
    )
    .option('--notify', 'also send a test notification to every notify_url and notify_command')
    .option('--strict', 'exit 1 on warnings too')
    .addHelpText(
      'after',
      example(
        'holdfast doctor\nholdfast --config /etc/pyznap/pyznap.conf doctor\nholdfast --json doctor | jq \'.findings[] | select(.status == "fail")\'',
      ),
    )
    .action(
      runs<DoctorFlags>(
        sink,
        lazy(() => import('./doctor-run.js').then((m) => m.doctorBody)),
      ),
    );
}

import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { VerifyFlags } from './verify-run.js';

// `holdfast verify DEST`: read every stored object back; exit 1 when one differs from its manifest.
export function registerVerify(program: Command, sink: ExitSink): void {
  program
    .command('verify')
    .argument('<dest>', 's3://BUCKET/PREFIX or file:///PATH')
    .description('re-read every stored stream and check its size and sha256 against its manifest (no key needed); exit 1 on any mismatch')
    .option('--dataset <name>', 'only this dataset and its children')
    .addHelpText(
      'after',
      example(`
      30 4 * * 0 root holdfast verify s3://backups/tank >> /var/log/holdfast.log 2>&1
      holdfast --json verify file:///mnt/usb/tank | jq '.rows[] | select(.status != "ok")'`),
    )
    .action(
      runs<VerifyFlags>(
        sink,
        lazy(() => import('./verify-run.js').then((m) => m.verifyBody)),
      ),
    );
}

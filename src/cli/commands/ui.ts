import type { Command } from 'commander';
import { example, lazy, runs } from '../action.js';
import type { ExitSink } from '../globals.js';
import type { UiFlags } from './ui-run.js';

// `holdfast ui`: the views and abgleich's snap → send → cleanup wizard in a browser, served by
// holdfast itself on 127.0.0.1 (an ssh tunnel reaches it on a headless NAS). The server and its
// HTTP library load only here (ui-run.ts).
export function registerUi(program: Command, sink: ExitSink): void {
  program
    .command('ui')
    .description('serve the overview, tree, compare and plan pages and the snap/send/cleanup wizard in a browser')
    .option('--listen <addr:port>', 'address and port to listen on (default 127.0.0.1 and a free port)')
    .option('--read-only', 'serve every view; run nothing')
    .option('--open', 'open the URL in the desktop browser (xdg-open)')
    .option('--run <file>', 'a run file (snap/send --prometheus FILE) for the last run (repeatable)', (v: string, p: string[] = []) => [
      ...p,
      v,
    ])
    .addHelpText(
      'after',
      example(`
      holdfast ui
      holdfast ui --read-only --run /var/lib/holdfast/snap.prom --run /var/lib/holdfast/send.prom
      ssh -L 8765:127.0.0.1:8765 nas holdfast ui --listen 127.0.0.1:8765`),
    )
    .action(
      runs<UiFlags>(
        sink,
        lazy(() => import('./ui-run.js').then((m) => m.uiBody)),
      ),
    );
}

import { runSync } from '../../adapters/exec/process.js';
import { onPath } from '../../adapters/exec/tools.js';

// man finds the page by its directory at once; mandb adds it to the index whatis and apropos
// read (cron.daily would, by tomorrow). Best effort: the page works without it.
export function indexManPages(manDir: string): void {
  if (!onPath('mandb')) return;
  runSync(['mandb', '-q', manDir], { timeoutMs: 60_000 });
}

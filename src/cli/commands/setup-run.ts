import { resolve } from 'node:path';
import { runSetup } from '../../app/setup.js';
import type { ScheduledFile } from '../../app/install/schedule-files.js';
import type { Body } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { DEFAULT_CONFIG } from '../program.js';
import type { SetupFlags } from './setup.js';

// The body of `holdfast setup` (registered in setup.ts).
export const setupBody: Body<SetupFlags> = async (env, o) => {
  const under = (p: string) => (o.root === '/' ? p : resolve(o.root, `.${resolve(p)}`));
  for (const line of await runSetup(under(o.path), env.g.dryRun)) env.out(`${line}\n`);
  if (!o.systemd && !o.cron) return EXIT.ok;
  const [{ describeWrite, executeInstall, planInstall }, { cronFiles, systemdFiles }] = await Promise.all([
    import('../../app/install/install-files.js'),
    import('../../app/install/schedule-files.js'),
  ]);
  const files: ScheduledFile[] = [];
  const opts = { exec: holdfastCommand(), ...(env.g.config !== DEFAULT_CONFIG ? { config: resolve(env.g.config) } : {}) };
  if (o.systemd) files.push(...systemdFiles(opts));
  if (o.cron) files.push(...cronFiles(opts));
  const plan = await planInstall(files, o.root, Boolean(o.force));
  for (const p of plan) env.out(describeWrite(p, env.g.dryRun));
  if (env.g.dryRun) return EXIT.ok;
  await executeInstall(plan);
  if (o.systemd) env.out('next: systemctl daemon-reload && systemctl enable --now holdfast-snap.timer holdfast-send.timer\n');
  if (o.cron) env.out('next: nothing; cron reads /etc/cron.d/holdfast by itself (a log goes to /var/log/holdfast.log)\n');
  const kept = plan.filter((p) => p.action === 'keep');
  if (kept.length > 0) env.err(`holdfast: ${kept.length} file${kept.length === 1 ? '' : 's'} not replaced: ${kept.map((p) => p.target).join(', ')} (--force replaces them)\n`);
  return kept.length > 0 ? EXIT.partial : EXIT.ok;
};

// This holdfast as a schedule should start it: this node and this script, by absolute path,
// so neither cron's short PATH nor a node installed outside it matters.
function holdfastCommand(): string[] {
  return [process.execPath, resolve(process.argv[1] ?? 'holdfast')];
}

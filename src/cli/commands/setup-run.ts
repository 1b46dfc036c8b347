import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { runSetup } from '../../app/install/setup.js';
import type { ScheduledFile } from '../../app/install/schedule-files.js';
import type { Body } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { DEFAULT_CONFIG } from '../globals.js';

// The options of the command, as commander gives them (they are defined in setup.ts).
export interface SetupFlags {
  path: string;
  systemd?: boolean;
  cron?: boolean;
  force?: boolean;
  root: string;
  man?: boolean;
  completions?: boolean;
}

// The body of `holdfast setup` (registered in setup.ts), for the whole program (the man page
// and the completions are generated from its tree).
export const setupBody =
  (program: Command): Body<SetupFlags> =>
  async (env, o) => {
    const under = (p: string) => (o.root === '/' ? p : resolve(o.root, `.${resolve(p)}`));
    const schedule = Boolean(o.systemd || o.cron);
    // --man/--completions alone install only those; otherwise the sample config comes first.
    if (schedule || !(o.man || o.completions)) for (const line of await runSetup(under(o.path), env.g.dryRun)) env.out(`${line}\n`);
    if (!schedule && !o.man && !o.completions) return EXIT.ok;
    const { describeWrite, executeInstall, planInstall } = await import('../../app/install/files.js');
    const files: ScheduledFile[] = [];
    if (schedule) files.push(...(await scheduleFiles(env.g.config, o)));
    if (o.man || o.completions) files.push(...(await shellFiles(program, o, env.clock.nowMs())));
    const plan = await planInstall(files, o.root, Boolean(o.force));
    for (const p of plan) env.out(describeWrite(p, env.g.dryRun));
    if (env.g.dryRun) return EXIT.ok;
    await executeInstall(plan);
    const manPlan = plan.find((p) => p.path.endsWith('/holdfast.1'));
    if (o.root === '/' && manPlan && ['create', 'update', 'replace'].includes(manPlan.action))
      (await import('../compose/install.js')).indexManPages(dirname(dirname(manPlan.target)));
    if (o.systemd) env.out('next: systemctl daemon-reload && systemctl enable --now holdfast-snap.timer holdfast-send.timer\n');
    if (o.cron) env.out('next: nothing; cron reads /etc/cron.d/holdfast by itself (a log goes to /var/log/holdfast.log)\n');
    if (o.man) env.out('next: man holdfast\n');
    if (o.completions)
      env.out(
        'next: open a new shell. bash loads completions through bash-completion (apt install bash-completion; Debian enables it in /etc/skel/.bashrc, not for root: see /etc/bash.bashrc); zsh through compinit (autoload -Uz compinit && compinit in ~/.zshrc); fish by itself\n',
      );
    const kept = plan.filter((p) => p.action === 'keep');
    if (kept.length > 0)
      env.err(
        `holdfast: ${kept.length} file${kept.length === 1 ? '' : 's'} not replaced: ${kept.map((p) => p.target).join(', ')} (--force replaces them)\n`,
      );
    return kept.length > 0 ? EXIT.partial : EXIT.ok;
  };

async function scheduleFiles(config: string, o: SetupFlags): Promise<ScheduledFile[]> {
  const { cronFiles, systemdFiles } = await import('../../app/install/schedule-files.js');
  const opts = { exec: holdfastCommand(), ...(config !== DEFAULT_CONFIG ? { config: resolve(config) } : {}) };
  return [...(o.systemd ? systemdFiles(opts) : []), ...(o.cron ? cronFiles(opts) : [])];
}

// The man page and completions, generated from the same tree as --help.
async function shellFiles(program: Command, o: SetupFlags, nowMs: number): Promise<ScheduledFile[]> {
  const [{ describeProgram }, { manPage }, { completionScript }, { completionFiles, manFiles }, { pageDate }] = await Promise.all([
    import('../help-model.js'),
    import('../manpage.js'),
    import('../completions.js'),
    import('../../app/install/shell-files.js'),
    import('./man-run.js'),
  ]);
  const doc = describeProgram(program);
  return [
    ...(o.man ? manFiles(manPage(doc, pageDate(nowMs))) : []),
    ...(o.completions
      ? completionFiles({ bash: completionScript(doc, 'bash'), zsh: completionScript(doc, 'zsh'), fish: completionScript(doc, 'fish') })
      : []),
  ];
}

// This holdfast as a schedule should start it: this node and this script, by absolute path,
// so neither cron's short PATH nor a node installed outside it matters.
function holdfastCommand(): string[] {
  return [process.execPath, resolve(process.argv[1] ?? 'holdfast')];
}

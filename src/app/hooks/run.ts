import type { Hooks } from '../../config/sections/hooks.js';
import { LOCAL } from '../../domain/endpoint.js';
import type { AppContext } from '../context.js';
import type { HookPort } from './ports.js';

export type { HookPort };

export type HookKey = 'pre_snapshot_command' | 'post_snapshot_command' | 'pre_send_command' | 'post_send_command';

// Run one hook on this host; undefined when it succeeded, else why it failed (it never throws).
// `then` says in the failure's log line what the run does about it.
export async function runHook(
  ctx: AppContext,
  key: HookKey,
  hooks: Hooks<string>,
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  then?: string,
): Promise<string | undefined> {
  const command = ctx.printable(LOCAL, argv);
  const base = { kind: 'hook' as const, hook: key, section: hooks.section, command };
  const port = ctx.hooks;
  const failed = (why: string, ms = 0, exitCode = 0): string => {
    ctx.log.event({ ...base, ms, exitCode, failure: why, ...(then ? { then } : {}) });
    return why;
  };
  if (!port) return failed('internal: no hook runner in this run');
  if (port.refused) return failed(`not run: ${port.refused}`);
  const t0 = ctx.clock.nowMs();
  const r = await port.run(argv, env, hooks.timeoutSec * 1000);
  const ms = ctx.clock.nowMs() - t0;
  const said = r.output ? `: ${r.output}` : '';
  if (r.timedOut) return failed(`${key} ran past hook_timeout (${hooks.timeoutSec} s) and was killed${said}`, ms, r.exitCode);
  if (r.exitCode !== 0) return failed(`${key} exited ${r.exitCode}${said}`, ms, r.exitCode);
  ctx.log.event({ ...base, ms, exitCode: 0 });
  return undefined;
}

// The environment a hook gets: one name per line (dataset names may hold spaces).
export function hookEnv(vars: Readonly<Record<string, readonly string[] | string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) out[`HOLDFAST_${k}`] = typeof v === 'string' ? v : v.join('\n');
  return out;
}

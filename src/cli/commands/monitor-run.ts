import type { ViewFlags } from './view-options.js';
import { readFileSync } from 'node:fs';
import { runMonitor } from '../../app/views/monitor.js';
import { formatIssue } from '../../config/issue.js';
import type { PolicyFile } from '../../config/policy-file.js';
import { messageOf } from '../../app/failures.js';
import { EXIT_OF, nagiosReport } from '../../domain/monitor/nagios.js';
import { type Limits, parseLimits } from '../../domain/monitor/thresholds.js';
import type { Body } from '../action.js';
import type { CommandEnv } from '../compose/env.js';
import { ConfigInvalidError } from '../exit-codes.js';
import { monitorJson } from '../render/monitor.js';
import { viewSsh } from '../compose/views.js';

// The options of the command, as commander gives them (they are defined in monitor.ts).
export interface MonitorFlags extends ViewFlags {
  warn?: string[];
  crit?: string[];
  run?: string[];
}

// The body of `holdfast monitor` (registered in monitor.ts).
export const monitorBody: Body<MonitorFlags> = (env, o, args) => monitor(env, o, args);

async function monitor(env: CommandEnv, o: MonitorFlags, sections: string[]): Promise<number> {
  try {
    const flags = { warn: limits(o.warn, '--warn'), crit: limits(o.crit, '--crit') };
    const file = await env.config();
    const unknown = sections.filter((s) => !file.sections.some((x) => x.name === s));
    if (unknown.length > 0) throw new Error(`no section ${unknown.map((s) => `[${s}]`).join(', ')} in ${file.path}`);
    const runsRead = (o.run ?? []).map((path) => ({ path, text: readOrUndefined(path) }));
    const { ctx } = await env.app(viewSsh(file, o));
    const checks = await runMonitor(ctx, file, { flags, runs: runsRead, sections });
    const report = nagiosReport(checks);
    env.out(env.g.json ? `${JSON.stringify(monitorJson(report, checks), null, 2)}\n` : report.text);
    return report.exit;
  } catch (e) {
    env.out(
      `HOLDFAST UNKNOWN - ${e instanceof ConfigInvalidError && env.policy ? configError(env.policy) : messageOf(e).split('\n')[0]}\n`,
    );
    return EXIT_OF.UNKNOWN;
  }
}

// A config with errors: nothing can be checked; the status line names the first error.
function configError(file: PolicyFile): string {
  const n = file.counts.errors;
  const first = file.issues.find((i) => i.severity === 'error')!;
  return `cannot check: ${formatIssue(first)}${n > 1 ? ` (and ${n - 1} more error${n === 2 ? '' : 's'}: holdfast check lists them)` : ''}`;
}

function limits(values: string[] | undefined, flag: string): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const v of values ?? []) {
    const r = parseLimits(v);
    if ('error' in r) throw new Error(`${flag} ${v}: ${r.error}`);
    Object.assign(out, r.limits);
  }
  return out;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

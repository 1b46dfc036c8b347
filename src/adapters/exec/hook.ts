import type { HookExit } from '../../app/hooks/ports.js';
import { runGroup } from './process.js';

// Run a consistency hook without a shell, in its own process group (killed whole after the
// timeout), with holdfast's environment minus its secrets (childEnv) plus the HOLDFAST_* variables.
export async function runHookCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
  stop?: AbortSignal,
): Promise<HookExit> {
  const r = await runGroup(argv, { env, timeoutMs, ...(stop ? { stop } : {}) });
  const output = `${r.stderr}${r.stdout}`.trim().split('\n').filter(Boolean).slice(-3).join(' | ').slice(-500);
  return { exitCode: r.exitCode, output, ...(r.timedOut ? { timedOut: true as const } : {}) };
}

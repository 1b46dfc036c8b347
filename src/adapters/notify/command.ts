import { run } from '../exec/process.js';

// Run a notification command without a shell: input on stdin, extra environment, killed after
// the timeout (exit 124, as timeout(1) says). Never rejects.
export async function runNotifyCommand(
  argv: readonly string[],
  input: string,
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<{ exitCode: number; stderr: string }> {
  const r = await run(argv, { stdio: ['pipe', 'ignore', 'pipe'], input, env, timeoutMs, timeoutSignal: 'SIGKILL' });
  return { exitCode: r.timedOut ? 124 : r.exitCode, stderr: r.stderr.slice(-4000) };
}

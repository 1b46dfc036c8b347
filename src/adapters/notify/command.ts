import { spawn } from 'node:child_process';
import { childEnv } from '../exec/child-env.js';

// Run a notification command without a shell: input on stdin, extra environment, killed after
// the timeout (exit 124, as timeout(1) says). Never rejects.
export function runNotifyCommand(
  argv: readonly string[],
  input: string,
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<{ exitCode: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'ignore', 'pipe'], env: { ...childEnv(), ...env } });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
    child.stdin.on('error', () => undefined); // it may exit without reading
    child.stdin.end(input);
    child.on('error', (e: NodeJS.ErrnoException) => {
      stderr += e.code === 'ENOENT' ? `${argv[0]}: command not found\n` : `${e.message}\n`;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: timedOut ? 124 : (code ?? 127), stderr });
    });
  });
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandRunner } from '../../src/adapters/exec/runner.js';
import { SshConnections } from '../../src/adapters/exec/ssh.js';
import { runNotifyCommand } from '../../src/adapters/notify/command.js';
import { runPipeline } from '../../src/adapters/pipeline/run.js';
import type { Logger } from '../../src/app/ports.js';
import type { Endpoint } from '../../src/domain/endpoint.js';

// The process layer (adapters/exec/process.ts, execa) seen through the runner, the pipeline
// runner and the notify command: real programs, real signals.
const LOCAL: Endpoint = { kind: 'local' };
const quiet: Logger = { event: () => undefined };
const runner = () => new CommandRunner(new SshConnections(), quiet, false);
const sh = (script: string) => runner().run({ argv: ['sh', '-c', script], endpoint: LOCAL, mutates: false });

// Processes whose command line is exactly `argv` (read from /proc, as ps would).
function pidsRunning(argv: readonly string[]): string[] {
  const want = `${argv.join('\0')}\0`;
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8') === want;
      } catch {
        return false;
      }
    });
}

describe('exit status, as a shell reports it', () => {
  it('the exit code and both outputs; 128 + the signal number for any signal; 127 and why for a program that is not there', async () => {
    expect(await sh('echo out; echo err >&2; exit 3')).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(await sh('kill -TERM $$')).toMatchObject({ exitCode: 143, signal: 'SIGTERM' });
    expect(await sh('kill -ABRT $$')).toMatchObject({ exitCode: 134, signal: 'SIGABRT' });
    expect(await sh('kill -USR1 $$')).toMatchObject({ exitCode: 138, signal: 'SIGUSR1' });
    const missing = await runner().run({ argv: ['no-such-program-hf', 'x'], endpoint: LOCAL, mutates: false });
    expect(missing).toMatchObject({ exitCode: 127, stderr: 'no-such-program-hf: command not found\n' });
  });

  it('a timeout ends the command with SIGTERM, and the result says it timed out', async () => {
    const r = await runner().run({ argv: ['sleep', '30'], endpoint: LOCAL, mutates: false, timeoutMs: 200 });
    expect(r).toMatchObject({ exitCode: 143, signal: 'SIGTERM', timedOut: true });
    expect(r.ms).toBeLessThan(5000);
    expect(await sh('true')).not.toHaveProperty('timedOut');
  });
});

describe("children's environment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['AWS_SECRET_ACCESS_KEY', 'HOLDFAST_S3_SECRET_KEY', 'HF_TEST_KEPT']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('holds what programs need and none of the secrets: commands, pipeline stages, notify commands', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'hf-secret-aws';
    process.env.HOLDFAST_S3_SECRET_KEY = 'hf-secret-s3';
    process.env.HF_TEST_KEPT = 'kept';
    const seen = [
      (await runner().run({ argv: ['env'], endpoint: LOCAL, mutates: false })).stdout,
      (await runPipeline({ stages: [{ argv: ['env'], endpoint: LOCAL, role: 'send' }] }, { ssh: (_e, r) => [...r] })).stdout,
      (await runNotifyCommand(['sh', '-c', 'env >&2'], '', { HF_NOTIFY: 'given' }, 10_000)).stderr,
    ];
    for (const env of seen) {
      expect(env).toMatch(/^HF_TEST_KEPT=kept$/m);
      expect(env).toMatch(/^PATH=/m);
      expect(env).not.toContain('hf-secret');
    }
    expect(seen[2]).toMatch(/^HF_NOTIFY=given$/m);
  });
});

describe('when holdfast exits', () => {
  it('the commands it started are stopped too (nothing keeps running unowned)', { timeout: 30_000 }, async () => {
    const mark = ['sleep', `29.${process.pid}${Date.now() % 100000}`];
    // A process that starts a command through the runner, then exits while it runs.
    const dir = mkdtempSync(join(tmpdir(), 'hf-exit-'));
    const script = join(dir, 'exits.mjs');
    await build({
      stdin: {
        contents: `
          import { CommandRunner } from '../../src/adapters/exec/runner.js';
          import { SshConnections } from '../../src/adapters/exec/ssh.js';
          const quiet = { event() {} };
          void new CommandRunner(new SshConnections(), quiet, false).run({ argv: ${JSON.stringify(mark)}, endpoint: { kind: 'local' }, mutates: false });
          setTimeout(() => process.exit(0), 500);`,
        resolveDir: import.meta.dirname,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm', // #execa is the built dist/vendor/execa.js, an ES module
      outfile: script,
      logLevel: 'silent',
    });
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    const t0 = Date.now();
    while (pidsRunning(mark).length > 0 && Date.now() - t0 < 2000) await new Promise((res) => setTimeout(res, 50));
    const left = pidsRunning(mark);
    for (const p of left) process.kill(Number(p), 'SIGKILL');
    expect(left, 'the command outlived holdfast').toEqual([]);
  });
});

import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { type TestPool, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { cli } from './views-support.js';

// The confirmation prompt through a real pseudo-terminal (util-linux `script` gives the command
// a pty as its stdin, stdout and stderr): "no" changes nothing, "yes" runs, and without a
// terminal (and without --yes) the command refuses with exit 2.
let pool: TestPool;
let P: string;
let c: ReturnType<typeof cli>;
beforeAll(async () => {
  pool = await createPool('cf', 128);
  P = pool.name;
  await zfs('create', `${P}/src`);
  c = cli(`[${P}/src]\nhourly = 10\nsnap = yes\ndest = ${P}/dst/src\ndest_auto_create = yes\n`);
  for (const t of ['10', '11', '12']) expect((await c.run(['snap'], { faketime: `2020-01-01 ${t}:00:00` })).code).toBe(0);
  expect((await c.run(['send'])).code).toBe(0);
});
afterAll(async () => pool?.destroy());

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

// Run `holdfast ARGS` on a pty; type `answer` once the prompt is on the screen.
function onTerminal(args: readonly string[], answer: string): Promise<{ code: number | null; screen: string }> {
  const line = [process.execPath, BIN, '--config', c.path, '--lock-dir', '/tmp', ...args].map(q).join(' ');
  const child = spawn('script', ['-qec', line, '/dev/null'], {
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let typed = false;
  child.stdout.on('data', (b: Buffer) => {
    screen += b.toString();
    if (!typed && screen.includes('[y/N]')) {
      typed = true;
      child.stdin.write(`${answer}\r`);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.on('close', (code) => (clearTimeout(timer), resolve({ code, screen }))));
}

describe('confirmation of destructive manual commands', () => {
  it('lists the actions, then asks; "no" changes nothing', async () => {
    const before = await snapshotsOf(`${P}/src`);
    const r = await onTerminal(['cleanup', `${P}/src`], 'no');
    expect(r.code, r.screen).toBe(0);
    const listed = r.screen.indexOf('zfs destroy');
    expect(listed).toBeGreaterThan(0);
    expect(r.screen.indexOf('Destroy 2 snapshots? [y/N]')).toBeGreaterThan(listed); // listed before asked
    expect(r.screen).toContain('cleanup: nothing was destroyed');
    expect(await snapshotsOf(`${P}/src`)).toEqual(before);
  });

  it('refuses without a terminal and without --yes (exit 2), changing nothing', async () => {
    const before = await snapshotsOf(`${P}/src`);
    const r = await c.run(['cleanup', `${P}/src`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('refusing to destroy 2 snapshots without confirmation: there is no terminal to ask on');
    expect(await snapshotsOf(`${P}/src`)).toEqual(before);
  });

  it('"yes" runs', async () => {
    const r = await onTerminal(['cleanup', `${P}/src`], 'yes');
    expect(r.code, r.screen).toBe(0);
    expect(r.screen).toContain('cleanup: destroyed 2 of 2 snapshots; 0 failed');
    expect(await snapshotsOf(`${P}/src`)).toEqual(['holdfast_2020-01-01_12:00:00_hourly']);
  });

  it('snap, the policy command cron runs, never asks', async () => {
    const r = await c.run(['snap'], { faketime: '2020-01-01 13:00:00' });
    expect(r.code).toBe(0);
    expect(r.stderr + r.stdout).not.toContain('[y/N]');
  });
});

import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, holdfast, lockDir } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { type TestPool, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { fill } from './send-support.js';

// Progress of a real send on zfs-fuse, throttled by a pv on PATH that passes -L (the real pv,
// counting the real stream): into a log file (cron) one line per interval; on a terminal (a
// real pty from util-linux script) the meter.
let pool: TestPool;
let P: string;
const locks = lockDir();
const shim = mkdtempSync(join(tmpdir(), 'hf-pv-'));
const PATH = `${shim}:${process.env.PATH}`;

beforeAll(async () => {
  pool = await createPool('prg', 192);
  P = pool.name;
  writeFileSync(join(shim, 'pv'), '#!/bin/sh\nexec /usr/bin/pv -L 1m "$@"\n');
  chmodSync(join(shim, 'pv'), 0o755);
  await zfs('create', `${P}/src`);
  await fill(`${P}/src`, 6);
  await zfs('snapshot', `${P}/src@s1`);
});
afterAll(async () => pool?.destroy());

const sh = (line: string) => run(['sh', '-c', line], { env: { ...process.env, TZ: 'UTC', PATH } });
const q = (s: string): string => `'${s}'`;

describe('send progress', () => {
  it('not on a terminal: a transfer longer than the interval logs progress lines into the log file (bytes, rate); a short one logs none', async () => {
    const log = join(shim, 'holdfast.log');
    const r = await sh(
      `${q(process.execPath)} ${q(BIN)} --lock-dir ${q(locks)} send -s ${P}/src -d ${P}/logged --dest-auto-create --progress-interval 1.5 >>${q(log)} 2>&1 </dev/null`,
    );
    expect(r.code, readFileSync(log, 'utf8')).toBe(0);
    const lines = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.includes(' INFO  sending '));
    expect(lines.length, readFileSync(log, 'utf8')).toBeGreaterThanOrEqual(2);
    for (const l of lines)
      expect(l).toMatch(new RegExp(`INFO  sending ${P}/src@s1 → ${P}/logged: [\\d.]+ (KiB|MiB) in 0:0\\d, [\\d.]+ (KiB|MiB)/s$`));
    const mib = lines.map((l) => Number(/: ([\d.]+) MiB in/.exec(l)?.[1] ?? 0));
    expect(mib.at(-1)).toBeGreaterThan(mib[0]!); // the count moves
    expect(await snapshotsOf(`${P}/logged`)).toEqual(['s1']);
    // the default interval is a minute: a transfer of seconds logs no progress line
    const quick = await holdfast(['--lock-dir', locks, 'send', '-s', `${P}/src`, '-d', `${P}/quick`, '--dest-auto-create']);
    expect(quick.code, quick.stderr).toBe(0);
    expect(quick.stderr).not.toContain('INFO  sending ');
    expect(quick.stderr).toContain(`INFO  sent ${P}/src@s1 → ${P}/quick (full)`);
  });

  it('on a terminal: the meter shows the whole dataset@snapshot, bytes and rate, and clears its line', async () => {
    const cmd = `stty cols 200; exec ${q(process.execPath)} ${q(BIN)} --lock-dir ${q(locks)} send -s ${P}/src -d ${P}/tty --dest-auto-create`;
    const r = await sh(`script -q -e -c ${q(cmd)} /dev/null </dev/null`);
    expect(r.code, r.stdout).toBe(0);
    const frames = r.stdout.split('\r\x1b[K').filter((f) => f.startsWith('  '));
    expect(frames.length, r.stdout).toBeGreaterThanOrEqual(3);
    expect(frames.at(-1)).toMatch(new RegExp(`^  ${P}/src@s1 → ${P}/tty  [\\d.]+ (KiB|MiB)  [\\d.]+ (KiB|MiB)/s  0:0\\d$`));
    expect(r.stdout).toMatch(/\r\x1b\[K[^\r]*INFO {2}sent /); // the meter's line is cleared before the log line
    expect(await snapshotsOf(`${P}/tty`)).toEqual(['s1']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { type TestSshd, sessionPids, startSshd } from '../helpers/sshd.js';
import { type TestPool, createPool, destroyTree, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { fill, held, holdfastBg, pidsOf, shimDir, waitFor } from './send-support.js';

// Faults, on real zfs-fuse pools and a real sshd whose sessions find a shim `lzop` first on
// PATH: it slows the stream down (so a test can strike mid-transfer) or flips bytes in it.
let pool: TestPool;
let P: string;
let sshd: TestSshd;
const shim = shimDir();
const locks = lockDir();
let SRC: string;
let DST: string;
let tag: string;

const args = (...extra: string[]) => ['--lock-dir', locks, 'send', '-s', SRC, '-d', sshd.location(DST), ...sshd.flags, ...extra];
const send = (...extra: string[]) => holdfast(args(...extra));
const slowLzop = () => pidsOf(`${shim.dir}/lzop`, '-dfc').length > 0;
const receiving = () => pidsOf('zfs', 'receive', DST).length > 0;
const kill = (pid: number, sig: NodeJS.Signals = 'SIGKILL') => {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
};

async function nextSnapshot(name: string, mib = 10): Promise<void> {
  await fill(SRC, mib, name);
  await zfs('snapshot', `${SRC}@${name}`);
}

beforeAll(async () => {
  [pool, sshd] = await Promise.all([createPool('flt', 256), startSshd({ path: shim.path })]);
  P = pool.name;
  SRC = `${P}/src`;
  DST = `${P}/dst`;
  tag = `holdfast:${sshd.user}@127.0.0.1:${sshd.port}:${DST}`;
  await zfs('create', SRC);
  await nextSnapshot('b1', 1);
  shim.mode('normal');
  const r = await send('--dest-auto-create');
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  shim.mode('normal');
  await sshd?.stop();
  await pool?.destroy();
});

describe('faults mid-stream: nothing is lost, the next run recovers', () => {
  it('kill -9 of holdfast: its local stages die with it, the destination stays at its previous snapshot', async () => {
    await nextSnapshot('b2');
    shim.mode('slow');
    // slowed on this side (holdfast's own PATH), so the stream is cut before it has left
    const bg = holdfastBg(args(), { PATH: shim.path });
    await waitFor('the slowed transfer', () => pidsOf(`${shim.dir}/lzop`).length > 0 && receiving());
    await new Promise((r) => setTimeout(r, 500));
    kill(bg.child.pid!);
    await bg.done;
    await waitFor('the remote receive to end', () => !receiving() && pidsOf(`${shim.dir}/lzop`).length === 0);
    expect(pidsOf('zfs', 'send', `${SRC}@b2`)).toEqual([]); // setpriv --pdeathsig took them down
    expect(await snapshotsOf(DST)).toEqual(['b1']);
    expect(await held(DST)).toEqual(['@b1']);
    // (zfs-fuse may still show the killed send's own temporary hold on @b2 for a while)
    expect(await held(SRC)).toContain('@b1');
    shim.mode('normal');
    const r = await send();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('(-I from @b1)');
    expect(await snapshotsOf(DST)).toEqual(['b1', 'b2']);
  });

  it('kill -9 of the remote zfs receive: the stage is named, the base stays held', async () => {
    await nextSnapshot('b3');
    shim.mode('slow');
    const bg = holdfastBg(args());
    await waitFor('the remote receive', receiving);
    await waitFor('the slowed transfer', slowLzop);
    for (const pid of pidsOf('zfs', 'receive', DST)) kill(pid);
    const r = await bg.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`stage \\d+ zfs receive -v -u ${DST} \\(on ssh:\\d+:hfroot@127\\.0\\.0\\.1\\) exited 137`));
    // zfs-fuse's daemon reads the stream from the pipe itself, so a killed `zfs receive` client
    // may still see its stream land (under load, the last bytes were already in the pipe). Either
    // way the run failed, said so, and left the base held; the next run finds @b3 by its guid.
    await waitFor('the stream to end', () => !slowLzop());
    expect([
      ['b1', 'b2'],
      ['b1', 'b2', 'b3'],
    ]).toContainEqual(await snapshotsOf(DST));
    expect(await held(DST)).toEqual(['@b2']);
    shim.mode('normal');
    expect((await send()).code).toBe(0);
    expect(await snapshotsOf(DST)).toEqual(['b1', 'b2', 'b3']);
    expect(await held(DST)).toEqual(['@b3']);
  });

  it('a dropped ssh connection is retried (retries, retry_interval)', async () => {
    await nextSnapshot('b4');
    shim.mode('slow');
    const bg = holdfastBg(args('--retries', '1', '--retry-interval', '1'));
    await waitFor('the slowed transfer', slowLzop);
    shim.mode('normal');
    for (const pid of sessionPids(sshd)) kill(pid, 'SIGTERM');
    const r = await bg.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/retrying in 1 s \(retry 1 of 1\)/);
    expect(await snapshotsOf(DST)).toEqual(['b1', 'b2', 'b3', 'b4']);
  });

  it('a corrupted stream: receive rejects it, and the error names the stage', async () => {
    await nextSnapshot('b5', 1);
    shim.mode('corrupt');
    const r = await send();
    shim.mode('normal');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`stage \\d+ zfs receive -v -u ${DST} \\(on [^)]+\\) exited 1: .*(checksum mismatch|invalid stream|invalid backup stream)`),
    );
    expect(await snapshotsOf(DST)).toEqual(['b1', 'b2', 'b3', 'b4']);
    expect((await send()).code).toBe(0);
  });

  it('two overlapping sends: the second skips the busy destination (exit 3); another machine is seen by its receive', async () => {
    await nextSnapshot('b6', 30); // ~10 s at the shim's 3 MB/s: three more runs start meanwhile, on a loaded machine too
    shim.mode('slow');
    const first = holdfastBg(args());
    await waitFor('the slowed transfer', slowLzop);
    const second = await send();
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(/another holdfast send is replicating into .*; skipped/);
    const elsewhere = await holdfast(['--lock-dir', lockDir(), 'send', '-s', SRC, '-d', sshd.location(DST), ...sshd.flags]);
    expect(elsewhere.code, elsewhere.stderr).toBe(3);
    expect(elsewhere.stderr).toMatch(/a zfs receive into .* is running there/);
    // a snap may run meanwhile: another lock
    const conf = writeConfig(`[${P}/other]\nhourly = 1\nsnap = yes\n`);
    await zfs('create', `${P}/other`);
    expect((await holdfast(['--config', conf, '--lock-dir', locks, 'snap'])).code).toBe(0);
    shim.mode('normal');
    const r = await first.done;
    expect(r.code, r.stderr).toBe(0);
    expect((await snapshotsOf(DST)).at(-1)).toBe('b6');
  });

  it('the source dataset destroyed mid-run: that dataset fails by name, the others are sent', async () => {
    await zfs('create', `${SRC}/a`);
    await zfs('create', `${SRC}/b`);
    await fill(`${SRC}/a`, 10);
    await zfs('snapshot', '-r', `${SRC}@b7`);
    shim.mode('slow');
    // One transfer at a time: b's comes after a's slowed one (in parallel it would be done).
    const bg = holdfastBg(args('--parallel', '1'));
    await waitFor('the slowed transfer of a', () => pidsOf('zfs', 'receive', `${DST}/a`).length > 0);
    await destroyTree(`${SRC}/b`);
    shim.mode('normal');
    const r = await bg.done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`send ${SRC}/b → .* failed: stage 1 zfs send .*${SRC}/b@b7.* exited 1: .*does not exist`));
    expect(r.stderr).toMatch(new RegExp(`failed: ${SRC}/b → `));
    expect(await snapshotsOf(`${DST}/a`)).toEqual(['b7']);
    expect(await held(DST)).toContain('/a@b7');
    expect(tag).toContain(DST);
  });
});

describe('a full destination pool', () => {
  it('out of space: named, not retried, the destination intact', async () => {
    const tiny = await createPool('tiny', 64);
    try {
      await zfs('create', `${P}/big`);
      await fill(`${P}/big`, 48);
      await zfs('snapshot', `${P}/big@f1`);
      const r = await holdfast([
        '--lock-dir',
        locks,
        'send',
        '-s',
        `${P}/big`,
        '-d',
        `${tiny.name}/big`,
        '--dest-auto-create',
        '--retries',
        '2',
        '--retry-interval',
        '1',
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/stage \d zfs receive -v -u \S+ exited 1: cannot receive new filesystem stream: out of space/);
      expect(r.stderr).not.toMatch(/retrying/);
      expect((await zfs('list', '-H', '-o', 'name', '-r', tiny.name)).trim()).toBe(tiny.name);
    } finally {
      await tiny.destroy();
    }
  });
});

import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPool, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { cli } from './views-support.js';

// Consistency hooks (issue 13 §4) around real zfs-fuse snapshots and sends, through the built
// CLI. The hooks are small sh scripts that write what they saw into a scratch directory.
let pool: TestPool;
let P: string;
let n = 0;
beforeAll(async () => {
  pool = await createPool('hk', 128);
  P = pool.name;
});
afterAll(async () => pool?.destroy());

// A fresh dataset and a scratch directory with the hook scripts `pre.sh` and `post.sh`.
async function fixture(pre: string, post = 'cp /dev/null "$D/post-ran"; printf %s "$HOLDFAST_SNAPSHOT_STATUS" > "$D/status"') {
  n++;
  const ds = `${P}/d${n}`;
  await zfs('create', ds);
  const dir = mkdtempSync(join(tmpdir(), 'hf-hook-'));
  writeFileSync(join(dir, 'pre.sh'), `D=${dir}\n${pre}\n`);
  writeFileSync(join(dir, 'post.sh'), `D=${dir}\n${post}\n`);
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return { ds, dir, read, has: (f: string) => existsSync(join(dir, f)) };
}

const section = (ds: string, dir: string, extra = '') =>
  `[${ds}]\nfrequent = 4\nsnap = yes\npre_snapshot_command = sh ${dir}/pre.sh\npost_snapshot_command = sh ${dir}/post.sh\n${extra}`;

describe('pre_snapshot_command and post_snapshot_command', () => {
  it('run around the real snapshot: the lock the pre hook takes is held when zfs creates it', async () => {
    const f = await fixture(
      [
        'mkdir "$D/lock" || exit 1',
        'date +%s.%N > "$D/pre-at"',
        'printf "%s\\n" "$HOLDFAST_DATASETS" > "$D/datasets"; printf "%s\\n" "$HOLDFAST_SNAPSHOTS" > "$D/snapshots"; printf "%s\\n" "$HOLDFAST_TYPES" > "$D/types"',
        'sleep 1.2', // the snapshot must come after this, not meanwhile
      ].join('\n'),
      'date +%s.%N > "$D/post-at"; rmdir "$D/lock" || exit 1; printf %s "$HOLDFAST_SNAPSHOT_STATUS" > "$D/status"',
    );
    await zfs('create', `${f.ds}/child`);
    const r = await cli(section(f.ds, f.dir)).run(['snap']);
    expect(r.code, r.stderr).toBe(0);
    const snaps = await snapshotsOf(f.ds);
    expect(snaps).toHaveLength(1);
    const created = Number((await zfs('get', '-Hp', '-o', 'value', 'creation', `${f.ds}@${snaps[0]}`)).trim());
    const preAt = Number(f.read('pre-at'));
    const postAt = Number(f.read('post-at'));
    // creation has whole seconds: taken after the pre hook's sleep began plus 1 s, before the post hook.
    expect(created).toBeGreaterThanOrEqual(Math.floor(preAt + 1.2) - 1);
    expect(created).toBeGreaterThan(Math.floor(preAt));
    expect(created).toBeLessThanOrEqual(postAt);
    expect(f.has('lock')).toBe(false); // the post hook released it
    // One call for the section: both datasets, their snapshots, the type.
    expect(f.read('datasets').trim().split('\n').sort()).toEqual([f.ds, `${f.ds}/child`]);
    expect(f.read('snapshots').trim().split('\n').sort()).toEqual([`${f.ds}/child@${snaps[0]}`, `${f.ds}@${snaps[0]}`]);
    expect(f.read('types').trim()).toBe('frequent');
    expect(f.read('status')).toBe('ok');
    expect(r.stderr).toMatch(/\[.*\] pre_snapshot_command ran: sh .*pre\.sh/);
  });

  it('a failing pre hook (pre_snapshot_failure = skip, the default): no snapshot, exit 1, named in the summary; others go on; post runs', async () => {
    const f = await fixture('echo "database busy" >&2; exit 3');
    const other = `${P}/other${n}`;
    await zfs('create', other);
    const r = await cli(`${section(f.ds, f.dir)}\n[${other}]\nfrequent = 4\nsnap = yes\n`).run(['snap']);
    expect(r.code).toBe(1);
    expect(await snapshotsOf(f.ds)).toEqual([]);
    expect(await snapshotsOf(other)).toHaveLength(1);
    expect(r.stderr).toContain(
      `[${f.ds}] pre_snapshot_command failed: pre_snapshot_command exited 3: database busy; no snapshot of [${f.ds}] this run`,
    );
    expect(r.stderr).toMatch(new RegExp(`1 failed: ${f.ds}$`, 'm'));
    expect(f.read('status')).toBe('skipped');
  });

  it('a failing pre hook with pre_snapshot_failure = snapshot: logged, snapshot taken, exit 0', async () => {
    const f = await fixture('exit 1');
    const r = await cli(section(f.ds, f.dir, 'pre_snapshot_failure = snapshot\n')).run(['snap']);
    expect(r.code, r.stderr).toBe(0);
    expect(await snapshotsOf(f.ds)).toHaveLength(1);
    expect(r.stderr).toContain('pre_snapshot_command exited 1; snapshotting anyway (pre_snapshot_failure = snapshot)');
    expect(f.read('status')).toBe('ok');
  });

  it('a hook that hangs past hook_timeout is killed (its whole process group) and reported', async () => {
    const f = await fixture('sleep 60 & echo $! > "$D/sleep-pid"; wait; cp /dev/null "$D/pre-finished"');
    const t0 = Date.now();
    const r = await cli(section(f.ds, f.dir, 'hook_timeout = 1\n')).run(['snap']);
    const s = (Date.now() - t0) / 1000;
    expect(r.code).toBe(1);
    expect(s).toBeLessThan(15);
    expect(r.stderr).toContain('pre_snapshot_command ran past hook_timeout (1 s) and was killed');
    expect(await snapshotsOf(f.ds)).toEqual([]);
    expect(f.has('pre-finished')).toBe(false);
    expect(f.has('post-ran')).toBe(true);
    // The hook's own child (sleep) was killed with it, not left behind.
    const pid = f.read('sleep-pid').trim();
    expect(existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')).toBe(false);
  });

  it('the post hook runs after a failed snapshot (the name exists already), told so', async () => {
    // The pre hook takes the very snapshot holdfast is about to take, so holdfast's call fails.
    const f = await fixture('zfs snapshot $HOLDFAST_SNAPSHOTS');
    const r = await cli(section(f.ds, f.dir)).run(['snap']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/take .*: .*(exists|already)/);
    expect(f.read('status')).toBe('failed');
  });

  it('hooks are refused from a config file others can write (and then the snapshot is skipped)', async () => {
    const f = await fixture('cp /dev/null "$D/pre-ran"');
    const c = cli(section(f.ds, f.dir));
    chmodSync(c.path, 0o666);
    const r = await c.run(['snap']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is writable by everyone');
    expect(f.has('pre-ran')).toBe(false);
    expect(await snapshotsOf(f.ds)).toEqual([]);
  });

  it('hooks never see holdfast secrets, and a dry run runs none', async () => {
    const f = await fixture('env > "$D/env"');
    const c = cli(section(f.ds, f.dir));
    const dry = await c.run(['--dry-run', 'snap']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(f.has('env')).toBe(false);
    const r = await c.run(['snap'], { env: { AWS_SECRET_ACCESS_KEY: 'sekrit', KEEP_ME: 'yes' } });
    expect(r.code, r.stderr).toBe(0);
    const env = f.read('env');
    expect(env).toContain('KEEP_ME=yes');
    expect(env).not.toContain('sekrit');
  });

  it('check rejects a hook that needs a shell, a bad timeout and a bad failure setting, with the line', async () => {
    const r = await cli(
      `[${P}]\nsnap = yes\npre_snapshot_command = fsfreeze -f /db | tee x\nhook_timeout = soon\npre_snapshot_failure = maybe\n`,
    ).run(['check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/:3: error: .*pre_snapshot_command.*"\|".*needs a shell; a hook runs without a shell/);
    expect(r.stderr).toMatch(/:4: error: .*hook_timeout.*"soon" is not a timeout/);
    expect(r.stderr).toMatch(/:5: error: .*pre_snapshot_failure.*"maybe" is not a pre_snapshot_failure setting; write skip or snapshot/);
  });
});

describe('pre_send_command and post_send_command', () => {
  const sendConf = (ds: string, dir: string, dest: string, extra = '') =>
    `[${ds}]\nfrequent = 4\nsnap = yes\ndest = ${dest}\npre_send_command = sh ${dir}/pre.sh\npost_send_command = sh ${dir}/post.sh\n${extra}`;

  it('run around each destination, told the source and destination', async () => {
    const f = await fixture(
      'printf "%s %s" "$HOLDFAST_SOURCE" "$HOLDFAST_DESTINATION" > "$D/pre"',
      'printf %s "$HOLDFAST_SEND_STATUS" > "$D/status"',
    );
    const dest = `${P}/b${n}`;
    const c = cli(sendConf(f.ds, f.dir, dest));
    expect((await c.run(['snap'])).code).toBe(0);
    const r = await c.run(['send']);
    expect(r.code, r.stderr).toBe(0);
    expect(f.read('pre')).toBe(`${f.ds} ${dest}`);
    expect(f.read('status')).toBe('ok');
    expect(await snapshotsOf(dest)).toHaveLength(1);
  });

  it('a failing pre_send_command skips that destination (exit 1), and post still runs; pre_send_failure = send sends', async () => {
    const f = await fixture('exit 7', 'printf %s "$HOLDFAST_SEND_STATUS" > "$D/status"');
    const dest = `${P}/b${n}`;
    const c = cli(sendConf(f.ds, f.dir, dest));
    expect((await c.run(['snap'])).code).toBe(0);
    const r = await c.run(['send']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pre_send_command exited 7');
    expect((await zfs('list', '-H', '-o', 'name', '-r', P)).split('\n')).not.toContain(dest);
    expect(f.read('status')).toBe('failed');
    const anyway = await cli(sendConf(f.ds, f.dir, dest, 'pre_send_failure = send\n')).run(['send']);
    expect(anyway.code, anyway.stderr).toBe(0);
    expect(await snapshotsOf(dest)).toHaveLength(1);
    expect(f.read('status')).toBe('ok');
  });
});

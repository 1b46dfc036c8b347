import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { type TestSshd, startSshd } from '../helpers/sshd.js';
import { type TestPool, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { fill, holdfastBg, pidsOf, shimDir, waitFor } from './send-support.js';

// SIGTERM, SIGINT and SIGHUP leave no trace: holdfast stops its children, ends its ssh master
// connections, logs one line (what was interrupted, what the next run does), writes the
// --prometheus file as failed and exits 128+signal. Real zfs-fuse, a real sshd.
let pool: TestPool;
let P: string;
let sshd: TestSshd;
const shim = shimDir(); // holdfast's own PATH: a slowed lzop, so a send can be caught mid-stream
const remote = remoteShim(); // the sshd sessions' PATH: a zfs whose `snapshot` can be delayed
const locks = lockDir();
const out = mkdtempSync(join(tmpdir(), 'hf-sig-'));

beforeAll(async () => {
  [pool, sshd] = await Promise.all([createPool('sig', 192), startSshd({ path: remote.path })]);
  P = pool.name;
});
afterAll(async () => {
  await sshd?.stop();
  await pool?.destroy();
});

describe('kill -TERM mid-send over ssh', () => {
  it('exit 143, one line, no process left (stages, ssh master), the textfile says so; the next run recovers', async () => {
    const { SRC, DST, args } = await pairWithPending('src');
    shim.mode('slow');
    const prom = join(out, 'send.prom');
    const bg = holdfastBg([...args, '--prometheus', prom], { PATH: shim.path });
    const receiving = () => pidsOf('zfs', 'receive', DST).length > 0;
    await waitFor('the receive stage, with the stream slowed on this side', () => receiving() && pidsOf(`${shim.dir}/lzop`).length > 0);
    await new Promise((r) => setTimeout(r, 300));
    const tree = descendants(bg.child.pid!);
    const controlDir = controlDirOf(sshd.port);
    expect(tree.length, 'the send pipeline runs').toBeGreaterThan(2);
    expect(controlDir, 'an ssh master serves the run').toBeDefined();
    bg.child.kill('SIGTERM');
    const r = await bg.done;
    shim.mode('normal');

    expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code: 143, signal: null });
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `WARN  interrupted by SIGTERM during send ${SRC}@b → ssh:${sshd.port}:hfroot@127\\.0\\.0\\.1:${DST} \\(incremental from @a\\); nothing was half-applied .*: the next run sends again from @a, which stays held$`,
      ),
    );
    // Nothing of this run is left: its processes, its ssh master, the master's socket directory.
    expect(tree.filter(alive), 'processes of the run still alive').toEqual([]);
    expect(pidsOf('zfs', 'send', `${SRC}@b`)).toEqual([]);
    expect(existsSync(controlDir!), 'the control socket directory').toBe(false);
    expect(pidsWith(controlDir!), 'ssh processes on the control socket').toEqual([]);
    // The far side ends on its own once the stream is cut (a truncated stream: receive fails).
    await waitFor('the remote receive to end', () => !receiving(), 15_000);
    expect(readFileSync(prom, 'utf8')).toMatch(/^holdfast_run_exit_code\{command="send"\} 143$/m);

    expect(await snapshotsOf(DST)).toEqual(['a']);
    const next = await holdfast(args);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain('(-I from @a)');
    expect(await guid(`${DST}@b`)).toBe(await guid(`${SRC}@b`));
  });
});

describe('kill -9 mid-send over ssh', () => {
  it('the orphaned ssh master ends within seconds (ControlPersist), not minutes', async () => {
    const { SRC, DST, args } = await pairWithPending('k9');
    shim.mode('slow');
    const bg = holdfastBg(args, { PATH: shim.path });
    await waitFor('the receive stage', () => pidsOf('zfs', 'receive', DST).length > 0 && pidsOf(`${shim.dir}/lzop`).length > 0);
    const controlDir = controlDirOf(sshd.port)!;
    expect(pidsWith(controlDir)).not.toEqual([]);
    bg.child.kill('SIGKILL');
    await bg.done;
    shim.mode('normal');
    // ssh forks its master into a session of its own: nothing can take it down with holdfast.
    // Its sessions end with the cut stream, and it follows once idle for ControlPersist (10 s).
    const t0 = Date.now();
    await waitFor('the orphaned master to end', () => pidsWith(controlDir).length === 0, 20_000);
    expect(Date.now() - t0).toBeLessThan(15_000);
    await waitFor('the remote receive to end', () => pidsOf('zfs', 'receive', DST).length === 0);
    const next = await holdfast(args);
    expect(next.code, next.stderr).toBe(0);
    expect(await guid(`${DST}@b`)).toBe(await guid(`${SRC}@b`));
  });
});

describe('snap', () => {
  it('SIGINT while snap --wait waits for the lock: exit 130, one line, the flock child gone, the textfile says so', async () => {
    const ds = `${P}/lk`;
    await zfs('create', ds);
    const conf = writeConfig(`[${ds}]\nfrequent = 2\nsnap = yes\nclean = yes\n`);
    const dir = lockDir();
    const holder = spawn('flock', [join(dir, 'snap.lock'), 'sleep', '60'], { stdio: 'ignore' });
    try {
      await waitFor('the other run to hold the lock', () => existsSync(join(dir, 'snap.lock')));
      const prom = join(out, 'snap.prom');
      const bg = holdfastBg(['--config', conf, '--lock-dir', dir, 'snap', '--wait', '60', '--prometheus', prom]);
      await waitFor('snap to wait for the lock', () => descendants(bg.child.pid!).some((p) => comm(p) === 'flock'));
      const tree = descendants(bg.child.pid!);
      bg.child.kill('SIGINT');
      const r = await bg.done;
      expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code: 130, signal: null });
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/WARN {2}interrupted by SIGINT during snap .*; .*the next run takes what is due/);
      expect(tree.filter(alive), 'the waiting flock').toEqual([]);
      expect(readFileSync(prom, 'utf8')).toMatch(/^holdfast_run_exit_code\{command="snap"\} 130$/m);
      expect(await snapshotsOf(ds)).toEqual([]);
    } finally {
      holder.kill();
    }
  });

  it('SIGHUP while a remote zfs snapshot runs: exit 129, one line, the ssh master gone', async () => {
    const ds = `${P}/far`;
    await zfs('create', ds);
    const conf = writeConfig(
      `[DEFAULT]\nssh_options = UserKnownHostsFile=${sshd.knownHosts}, LogLevel=ERROR\n\n[${sshd.location(ds)}]\nkey = ${sshd.keyPath}\nfrequent = 2\nsnap = yes\nclean = yes\n`,
    );
    remote.delay(true);
    const bg = holdfastBg(['--config', conf, '--lock-dir', lockDir(), 'snap']);
    const delayed = () => pidsOf(`${remote.dir}/zfs`, 'snapshot').length > 0;
    try {
      await waitFor('the remote zfs snapshot', delayed);
      const controlDir = controlDirOf(sshd.port);
      expect(controlDir).toBeDefined();
      bg.child.kill('SIGHUP');
      const r = await bg.done;
      expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code: 129, signal: null });
      const lines = r.stderr.split('\n').filter(Boolean);
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/WARN {2}interrupted by SIGHUP during snap/);
      expect(existsSync(controlDir!)).toBe(false);
      expect(pidsWith(controlDir!)).toEqual([]);
    } finally {
      remote.delay(false);
      // The remote command was already running: it finishes there on its own (zfs snapshot is atomic).
      await waitFor('the remote command to end', () => !delayed());
    }
    const next = await holdfast(['--config', conf, '--lock-dir', lockDir(), 'snap']);
    expect(next.code, next.stderr).toBe(0);
  });
});

// A source sent once (@a) over ssh, with a 24 MiB snapshot (@b) still to send.
async function pairWithPending(name: string): Promise<{ SRC: string; DST: string; args: string[] }> {
  const SRC = `${P}/${name}`;
  const DST = `${P}/${name}-dst`;
  const args = ['--lock-dir', locks, 'send', '-s', SRC, '-d', sshd.location(DST), ...sshd.flags];
  await zfs('create', SRC);
  await fill(SRC, 1);
  await zfs('snapshot', `${SRC}@a`);
  shim.mode('normal');
  const first = await holdfast([...args, '--dest-auto-create']);
  expect(first.code, first.stderr).toBe(0);
  await fill(SRC, 24, 'more');
  await zfs('snapshot', `${SRC}@b`);
  return { SRC, DST, args };
}

// Every process below pid now (from /proc), to check afterwards that none outlived the run.
function descendants(pid: number): number[] {
  const outPids: number[] = [];
  const walk = (p: number): void => {
    let kids = '';
    try {
      kids = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8');
    } catch {
      return;
    }
    for (const c of kids.trim().split(/\s+/).filter(Boolean).map(Number)) {
      outPids.push(c);
      walk(c);
    }
  };
  walk(pid);
  return outPids;
}

// Running (a zombie waiting for its reaper has ended).
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

// The ControlPath directory of the ssh processes holdfast runs against this sshd.
function controlDirOf(port: number): string | undefined {
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      if (argv[0] !== 'ssh' || !argv.includes(String(port))) continue;
      const m = argv.map((a) => /^ControlPath=(.*)\/[^/]+$/.exec(a)).find(Boolean); // holdfast-ssh-XXXXXX/m0
      if (m) return m[1];
    } catch {
      // gone
    }
  }
  return undefined;
}

// Processes whose command line mentions `text` (the ssh master shows its socket path).
function pidsWith(text: string): number[] {
  return readdirSync('/proc')
    .filter((x) => /^\d+$/.test(x))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text) && alive(Number(p));
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function guid(snapshot: string): Promise<string> {
  return (await zfs('get', '-H', '-o', 'value', 'guid', snapshot)).trim();
}

// The remote sessions' PATH: a real zfs behind a script that can hold `zfs snapshot` for a few
// seconds, so a signal can arrive while it runs.
function remoteShim(): { dir: string; path: string; delay(on: boolean): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hf-rshim-'));
  writeFileSync(
    join(dir, 'zfs'),
    `#!/bin/sh\nif [ "$1" = snapshot ] && [ -f "${dir}/delay" ]; then sleep 4; fi\nexec /usr/sbin/zfs "$@"\n`,
  );
  chmodSync(join(dir, 'zfs'), 0o755);
  return {
    dir,
    path: `${dir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    delay: (on) => (on ? writeFileSync(join(dir, 'delay'), '') : rmSync(join(dir, 'delay'), { force: true })),
  };
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { type TestSshd, startSshd } from '../helpers/sshd.js';
import { type TestPool, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';

// A host whose key is not in known_hosts (a new backup server), or whose key changed: every
// command that reaches it fails with ssh's "Host key verification failed." and says how to fix
// it, with a command that does fix it (run here as printed, against a real sshd).
let pool: TestPool;
let sshd: TestSshd;
let P: string;
const locks = lockDir();

beforeAll(async () => {
  [pool, sshd] = await Promise.all([createPool('hk', 128), startSshd()]);
  P = pool.name;
  await zfs('create', `${P}/src`);
  await zfs('snapshot', `${P}/src@one`);
});
afterAll(async () => {
  await sshd?.stop();
  await pool?.destroy();
});

// ssh reads only this file, and refuses hosts that are not in it.
function knownHosts(name: string, text = ''): { file: string; options: string } {
  const file = join(sshd.dir, name);
  writeFileSync(file, text);
  return { file, options: `ssh_options = UserKnownHostsFile=${file}, StrictHostKeyChecking=yes, LogLevel=ERROR` };
}

// The command after "add it: " (or "then "), as the user would paste it.
const fixIn = (stderr: string, after: RegExp): string => {
  const line = stderr.split('\n').find((l) => after.test(l)) ?? '';
  return line.slice(line.search(after)).replace(after, '').trim();
};

describe('an unknown host key', () => {
  it('send says which line adds the key, warns to verify the fingerprint, and that line works', async () => {
    const kh = knownHosts('send_known_hosts');
    const conf = writeConfig(
      `[DEFAULT]\n${kh.options}\n\n[${P}/src]\ndest = ${sshd.location(`${P}/dst`)}\ndest_keys = ${sshd.keyPath}\ndest_auto_create = yes\n`,
    );
    const r = await holdfast(['--config', conf, '--lock-dir', locks, 'send']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Host key verification failed: the host key of 127.0.0.1 (port');
    expect(r.stderr).toContain(`verify its fingerprint first (compare \`ssh-keyscan -p ${sshd.port} 127.0.0.1 | ssh-keygen -lf -\``);
    expect(r.stderr).toContain(`add it: ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${kh.file}\n`);
    const fix = fixIn(r.stderr, /^.*add it: /);
    expect(fix).toBe(`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${kh.file}`);
    expect((await run(['sh', '-c', fix])).code).toBe(0);
    const again = await holdfast(['--config', conf, '--lock-dir', locks, 'send']);
    expect(again.code, again.stderr).toBe(0);
    expect(await snapshotsOf(`${P}/dst`)).toEqual(['one']);
  });

  it('snap on a remote section says the same', async () => {
    const kh = knownHosts('snap_known_hosts');
    const conf = writeConfig(
      `[DEFAULT]\n${kh.options}\n\n[${sshd.location(`${P}/src`)}]\nkey = ${sshd.keyPath}\nfrequent = 2\nsnap = yes\n`,
    );
    const r = await holdfast(['--config', conf, '--lock-dir', locks, 'snap'], { faketime: '2026-01-05 10:00:00' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `Host key verification failed: the host key of 127.0.0.1 (port ${sshd.port}) is not in ${kh.file}; verify its fingerprint first`,
    );
    expect(r.stderr).toContain(`add it: ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${kh.file}\n`);
    expect((await run(['sh', '-c', fixIn(r.stderr, /^.*add it: /)])).code).toBe(0);
    const again = await holdfast(['--config', conf, '--lock-dir', locks, 'snap'], { faketime: '2026-01-05 10:00:00' });
    expect(again.code, again.stderr).toBe(0);
    expect(await snapshotsOf(`${P}/src`)).toContain('holdfast_2026-01-05_10:00:00_frequent');
  });
});

describe('a changed host key', () => {
  it('send warns of interception and says how to replace the old key; that line works', async () => {
    const other = (await run(['sh', '-c', `ssh-keygen -q -t ed25519 -N '' -f ${sshd.dir}/other && cat ${sshd.dir}/other.pub`])).stdout
      .trim()
      .split(' ')
      .slice(0, 2)
      .join(' ');
    const kh = knownHosts('changed_known_hosts', `[127.0.0.1]:${sshd.port} ${other}\n`);
    const conf = writeConfig(
      `[DEFAULT]\n${kh.options}\n\n[${P}/src]\ndest = ${sshd.location(`${P}/dst2`)}\ndest_keys = ${sshd.keyPath}\ndest_auto_create = yes\n`,
    );
    const r = await holdfast(['--config', conf, '--lock-dir', locks, 'send']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `the host key of 127.0.0.1 (port ${sshd.port}) has changed since it was recorded in ${kh.file}; unless 127.0.0.1 was reinstalled, someone may be intercepting the connection`,
    );
    const fix = fixIn(r.stderr, /^.*, then /);
    expect(fix).toBe(`ssh-keygen -R '[127.0.0.1]:${sshd.port}' -f ${kh.file} && ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${kh.file}`);
    expect((await run(['sh', '-c', fix])).code).toBe(0);
    const again = await holdfast(['--config', conf, '--lock-dir', locks, 'send']);
    expect(again.code, again.stderr).toBe(0);
  });
});

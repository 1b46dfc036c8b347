import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { vmExec } from '../helpers/openzfs-vm.js';
import { sh, vmLane } from './support.js';

// A store fed from real OpenZFS 2.1 (the VM, over ssh): the size estimate of `zfs send -nvP`
// reaches the manifest (and the part size), the base's hold shows in `zfs holds`, and a restore
// streams into a remote `zfs receive`. A few MiB only: the VM runs at ~25 MiB/s.
const { vm, d } = vmLane('stores on OpenZFS');

const POOL = `hfstore${randomBytes(3).toString('hex')}`;

d('a store fed from OpenZFS 2.1 over ssh', () => {
  const root = mkdtempSync('/var/tmp/hf-vmstore-');
  const dest = `file://${root}`;
  let conf = '';
  const run = (...args: string[]) => holdfast(['--config', conf, '--lock-dir', lockDir(), ...args]);
  beforeAll(async () => {
    await sh(
      `truncate -s 256M /var/tmp/${POOL}.img && zpool create -f -m /mnt/${POOL} ${POOL} /var/tmp/${POOL}.img && zfs create ${POOL}/src`,
    );
    await sh(`dd if=/dev/urandom of=/mnt/${POOL}/src/f bs=1M count=4 status=none && zfs snapshot ${POOL}/src@s1`);
    await sh(`dd if=/dev/urandom of=/mnt/${POOL}/src/g bs=1M count=1 status=none && zfs snapshot ${POOL}/src@s2`);
    const src = `ssh:${vm!.port}:root@127.0.0.1:${POOL}/src`;
    conf = writeConfig(
      `[DEFAULT]\nssh_options = StrictHostKeyChecking=no, UserKnownHostsFile=/dev/null, LogLevel=ERROR\n\n[${src}]\nkey = ${vm!.keyPath}\ndest = ${dest}\n\n[${dest}]\nchunk_size = 1M\n`,
    );
  });
  afterAll(async () => {
    await vmExec(`zpool destroy -f ${POOL}; rm -f /var/tmp/${POOL}.img`);
  });

  it('uploads with the send -nvP estimate, holds the base exactly, restores into a remote receive', async () => {
    const first = await run('send', '--snapshot', 's1');
    expect(first.code, first.stderr).toBe(0);
    const second = await run('send');
    expect(second.code, second.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(root, `manifests/${POOL}/src/@s2.json.chunks/part-000000`), 'utf8')) as {
      stream: { bytes: number; estimate: number | null };
    };
    expect(manifest.stream.estimate).not.toBeNull();
    expect(Math.abs(manifest.stream.estimate! - manifest.stream.bytes) / manifest.stream.bytes).toBeLessThan(0.1);
    expect(await sh(`zfs holds -H ${POOL}/src@s2`)).toContain(`holdfast:${dest}`);
    expect((await sh(`zfs holds -H ${POOL}/src@s1`)).trim()).toBe('');
    const st = await run('status', dest);
    expect(st.code, st.stdout + st.stderr).toBe(0);
    expect(st.stdout).toMatch(/s2\s+yes\s+yes\s+incr\s+s1\s/);
    const r = await run('restore', dest, `${POOL}/src@s2`, '--to', `ssh:${vm!.port}:root@127.0.0.1:${POOL}/back`);
    expect(r.code, r.stderr).toBe(0);
    expect(await sh(`zfs get -H -o value guid ${POOL}/back@s2`)).toBe(await sh(`zfs get -H -o value guid ${POOL}/src@s2`));
    expect(await sh(`cd /mnt/${POOL}/back && sha256sum f g`)).toBe(await sh(`cd /mnt/${POOL}/src && sha256sum f g`));
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { holdfast, lockDir } from '../helpers/cli.js';
import { vmExec } from '../helpers/openzfs-vm.js';
import { holdfastBg, pidsOf, waitFor } from '../integration/send-support.js';
import { sh, twoHosts, vmLane } from './support.js';

// SIGTERM mid-send into real OpenZFS with resume = yes: the one line says the next run resumes
// from the resume token, the token is there, and the next run does resume. (On zfs-fuse the line
// says it sends again from the held base: test/integration/signals.test.ts.) The VM is reached
// as 127.0.0.1 and as localhost, two hosts to holdfast: the stream is relayed through this host.
const { vm, d } = vmLane('signals on OpenZFS');

const locks = lockDir();
const POOL = `hfsig${randomBytes(3).toString('hex')}`;
const SLOW = `/run/${POOL}-slow`;
const { A, B, flags } = twoHosts(vm);
const args = (...extra: string[]) => [
  '--lock-dir',
  locks,
  'send',
  '-s',
  A(`${POOL}/src`),
  '-d',
  B(`${POOL}/dst`),
  '--resume',
  ...flags(),
  ...extra,
];
const token = async () => (await sh(`zfs get -H -o value receive_resume_token ${POOL}/dst`)).trim();
const guid = async (snap: string) => (await sh(`zfs get -H -o value guid ${snap}`)).trim();

// A real zfs behind a script that slows `zfs send` to ~3 MB/s while SLOW exists (perl-base is
// in every Debian), so the signal arrives mid-stream. Only this file's pool is slowed.
const SHIM = `#!/bin/sh
if [ "$1" = send ] && [ -f ${SLOW} ]; then
  /usr/sbin/zfs "$@" | perl -e '$|=1; while (read(STDIN, my $b, 65536)) { print $b; select(undef, undef, undef, 0.02) }'
  exit 0
fi
exec /usr/sbin/zfs "$@"
`;

d('interrupted send on real OpenZFS 2.1', () => {
  beforeAll(async () => {
    await sh(
      `truncate -s 256M /var/tmp/${POOL}.img && zpool create -f -m none ${POOL} /var/tmp/${POOL}.img && zfs create -o mountpoint=/mnt/${POOL} ${POOL}/src`,
    );
    await sh(`dd if=/dev/urandom of=/mnt/${POOL}/f bs=1M count=1 status=none && zfs snapshot ${POOL}/src@a`);
    const r = await vmExec(`cat > /usr/local/bin/zfs && chmod 755 /usr/local/bin/zfs && command -v zfs`, { input: SHIM });
    expect(r.stdout.trim(), 'the shim is first on the sessions PATH').toBe('/usr/local/bin/zfs');
  });
  afterAll(async () => {
    await vmExec(`rm -f /usr/local/bin/zfs ${SLOW}; zpool destroy -f ${POOL}; rm -f /var/tmp/${POOL}.img`);
  });

  it('SIGTERM mid-stream: exit 143, one line that says the next run resumes from the token; it does', async () => {
    const first = await holdfast(args('--dest-auto-create'));
    expect(first.code, first.stderr).toBe(0);
    await sh(`dd if=/dev/urandom of=/mnt/${POOL}/g bs=1M count=12 status=none && zfs snapshot ${POOL}/src@b && touch ${SLOW}`);
    const bg = holdfastBg(args());
    // the pipeline's ssh into the destination (only pipelines carry the stage-status tag)
    await waitFor('the relayed transfer', () => pidsOf('ssh', '#holdfast-stage-', 'receive', `${POOL}/dst`).length > 0, 60_000);
    await new Promise((r) => setTimeout(r, 2500)); // a few MB arrive
    bg.child.kill('SIGTERM');
    const r = await bg.done;
    await sh(`rm -f ${SLOW}`);
    expect({ code: r.code, signal: r.signal }, r.stderr).toEqual({ code: 143, signal: null });
    // (before the signal: a warning that the VM has no lzop)
    const lines = r.stderr.split('\n').filter((l) => / (ERROR|WARN) /.test(l) && !/lzop is not installed/.test(l));
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `WARN  interrupted by SIGTERM during send ssh:${vm!.port}:root@127\\.0\\.0\\.1:${POOL}/src@b → ssh:${vm!.port}:root@localhost:${POOL}/dst \\(incremental from @a\\); nothing was half-applied: zfs receive -s kept what arrived aside, and the next run resumes from its resume token`,
      ),
    );
    // The cut stream ends the receive there, which keeps what arrived under a token.
    let t = '';
    await waitFor('the resume token', async () => /^1-/.test((t = await token())), 60_000);
    const next = await holdfast(args());
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(/sent .*src@b .* \(resumed\)/);
    expect(await token()).toBe('-');
    expect(await guid(`${POOL}/dst@b`)).toBe(await guid(`${POOL}/src@b`));
    expect(t).toMatch(/^1-/);
  });
});

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { vmExec } from '../helpers/openzfs-vm.js';
import { sh, snapsIn, twoHosts, vmLane } from './support.js';

// Bookmarks on real OpenZFS 2.1 (zfs-fuse has none): each send bookmarks the new base on the
// source; a base destroyed there (by hand, or by clean with hold_base = no) is sent from with
// `zfs send -i SRC#bookmark`. The VM reached as 127.0.0.1 and as localhost is two endpoints, so
// the destination's label holds ':', '@' and '/' (its bookmark name cannot).
const { vm, d } = vmLane('bookmarks on OpenZFS');

const locks = lockDir();
const POOL = `hfbm${randomBytes(3).toString('hex')}`;
const { A, B, flags } = twoHosts(vm);
const send = (src: string, dst: string, ...extra: string[]) =>
  holdfast(['--lock-dir', locks, 'send', '-s', src, '-d', dst, ...flags(), ...extra]);

// name → guid of the bookmarks under a dataset
async function bookmarksOf(ds: string): Promise<Map<string, string>> {
  const out = await sh(`zfs list -Hp -t bookmark -o name,guid -r ${ds}`);
  return new Map(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t') as [string, string]),
  );
}
const guidOf = async (snap: string) => (await sh(`zfs get -Hp -o value guid ${snap}`)).trim();
const holdsOn = async (snap: string) => (await sh(`zfs holds -H ${snap}`)).trim();

d('bookmarks on real OpenZFS 2.1', () => {
  beforeAll(async () => {
    await sh(
      `truncate -s 256M /var/tmp/${POOL}.img && zpool create -f -m /mnt/${POOL} ${POOL} /var/tmp/${POOL}.img && zfs create ${POOL}/src && zfs create ${POOL}/src/child`,
    );
    for (const s of ['s1', 's2'])
      await sh(`dd if=/dev/urandom of=/mnt/${POOL}/src/child/${s} bs=1M count=1 status=none && zfs snapshot -r ${POOL}/src@${s}`);
  });
  afterAll(async () => {
    await vmExec(`zpool destroy -f ${POOL}; rm -f /var/tmp/${POOL}.img`);
  });

  it('bookmarks the new base after a send, replaces it after the next; a source base destroyed by hand is sent from with -i #bookmark', async () => {
    const r = await send(A(`${POOL}/src`), B(`${POOL}/dst`));
    expect(r.code, r.stderr).toBe(0);
    let marks = await bookmarksOf(`${POOL}/src`);
    const name = [...marks.keys()].find((k) => k.startsWith(`${POOL}/src#`))!.split('#')[1]!;
    expect(name).toMatch(/^holdfast_root_localhost_\d+_hfbm[0-9a-f]+_dst_[0-9a-f]{8}$/); // ':' '@' '/' spelled "_"
    expect(marks.get(`${POOL}/src#${name}`)).toBe(await guidOf(`${POOL}/src@s2`));
    expect(marks.get(`${POOL}/src/child#${name}`)).toBe(await guidOf(`${POOL}/src/child@s2`));

    // Newer snapshots; the base s2 destroyed on the source by hand (its hold released first).
    for (const s of ['s3', 's4'])
      await sh(`dd if=/dev/urandom of=/mnt/${POOL}/src/child/${s} bs=1M count=1 status=none && zfs snapshot -r ${POOL}/src@${s}`);
    const tag = (await holdsOn(`${POOL}/src@s2`)).split('\t')[1]!;
    await sh(`zfs release -r ${tag} ${POOL}/src@s2 && zfs destroy -r ${POOL}/src@s2`);
    const dry = await send(A(`${POOL}/src`), B(`${POOL}/dst`), '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    // the bookmark's "#" is quoted for the remote shell
    expect(dry.stdout).toContain(`zfs send -L -e -c -i '\\''${POOL}/src/child#${name}'\\'' ${POOL}/src/child@s3`);
    const r2 = await send(A(`${POOL}/src`), B(`${POOL}/dst`));
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).toMatch(new RegExp(`sent .*child@s3 .*\\(-i from #${name}\\)`));
    expect(r2.stderr).toMatch(/sent .*child@s4 .*\(-I from @s3\)/);
    expect(await snapsIn(`${POOL}/dst/child`)).toEqual(['s1', 's2', 's3', 's4']);
    marks = await bookmarksOf(`${POOL}/src`);
    expect(marks.get(`${POOL}/src/child#${name}`)).toBe(await guidOf(`${POOL}/src/child@s4`));
    expect([...marks.keys()].filter((k) => k.startsWith(`${POOL}/src/child#`))).toHaveLength(1); // replaced, not added
  });

  it('a destination with snapshots newer than the bookmarked base is a conflict, as with a snapshot base', async () => {
    await sh(`zfs snapshot ${POOL}/dst/child@mine && zfs snapshot -r ${POOL}/src@s5`);
    const tag = (await holdsOn(`${POOL}/src/child@s4`)).split('\t')[1]!;
    await sh(`zfs release ${tag} ${POOL}/src/child@s4 && zfs destroy ${POOL}/src/child@s4`);
    const r = await send(A(`${POOL}/src`), B(`${POOL}/dst`));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/conflict: .*has 1 snapshot newer than the common base @s4/);
    await sh(`zfs destroy ${POOL}/dst/child@mine`);
    const again = await send(A(`${POOL}/src`), B(`${POOL}/dst`));
    expect(again.code, again.stderr).toBe(0);
    expect(await snapsIn(`${POOL}/dst/child`)).toEqual(['s1', 's2', 's3', 's4', 's5']);
  });

  it('hold_base = no: the source base is not held, clean destroys it across several snap runs while the destination is away, and the next send goes on from the bookmark', async () => {
    await sh(`zfs create ${POOL}/hb && zfs create ${POOL}/hb/c`);
    const src = A(`${POOL}/hb`);
    const conf = writeConfig(
      `[DEFAULT]\nssh_options = StrictHostKeyChecking=no, UserKnownHostsFile=/dev/null, LogLevel=ERROR\ntimezone = UTC\n\n` +
        `[${src}]\nkey = ${vm!.keyPath}\nhourly = 2\nsnap = yes\nclean = yes\ndest = ${B(`${POOL}/hbdst`)}\ndest_keys = ${vm!.keyPath}\nhold_base = no\n`,
    );
    const run = (t: string, ...args: string[]) =>
      holdfast(['--config', conf, '--lock-dir', locks, ...args], { faketime: `2020-01-01 ${t}` });
    const n = (h: string) => `holdfast_2020-01-01_${h}:00:00_hourly`;
    expect((await run('01:00:00', 'snap')).code).toBe(0);
    const s1 = await run('01:00:00', 'send');
    expect(s1.code, s1.stderr).toBe(0);
    expect(await holdsOn(`${POOL}/hb@${n('01')}`)).toBe(''); // not held on the source…
    expect(await holdsOn(`${POOL}/hbdst@${n('01')}`)).toContain('holdfast:'); // …held on the destination
    const [mark] = [...(await bookmarksOf(`${POOL}/hb`)).keys()].filter((k) => k.startsWith(`${POOL}/hb#`));
    expect(mark).toBeDefined();
    // The destination is away for three hourly runs: hourly = 2 lets clean destroy the base.
    expect((await run('02:00:00', 'snap')).code).toBe(0);
    // plan --explain says what protects the base: not a hold, the bookmark.
    const plan = await run('03:00:00', 'plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(
      new RegExp(
        `destroy ${n('01')}  \\(.*replication base, bookmarked as #${mark!.split('#')[1]}: the bookmark keeps the chain after it goes\\)`,
      ),
    );
    for (const h of ['03', '04']) expect((await run(`${h}:00:00`, 'snap')).code).toBe(0);
    expect(await snapsIn(`${POOL}/hb`)).toEqual([n('03'), n('04')]);
    const s2 = await run('04:00:00', 'send');
    expect(s2.code, s2.stderr).toBe(0);
    expect(s2.stderr).toContain(`(-i from #${mark!.split('#')[1]})`);
    expect(await snapsIn(`${POOL}/hbdst/c`)).toEqual([n('01'), n('03'), n('04')]);
    expect(await holdsOn(`${POOL}/hb@${n('04')}`)).toBe('');
    expect((await bookmarksOf(`${POOL}/hb`)).get(mark!)).toBe(await guidOf(`${POOL}/hb@${n('04')}`));
  });
});

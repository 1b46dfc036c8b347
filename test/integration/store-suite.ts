import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../src/adapters/store/object-store.js';
import { manifestKey } from '../../src/domain/store/names.js';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { type Ran, must, run } from '../helpers/run.js';
import { destroyTree, zfs } from '../helpers/zfs-lab.js';

// The store suite of issue #4, run by the file:// lane (test/integration) and the s3:// lane
// (test/s3) against the same CLI: only the lab (where the store lives) differs.
export interface StoreLab {
  readonly kind: 'file' | 's3';
  newDest(tag: string): Promise<string>; // a fresh, empty store URL
  section(url: string): string; // the store's own config lines (endpoint, credentials)
  env(): NodeJS.ProcessEnv; // for every holdfast run
  open(url: string): Promise<ObjectStore>; // to inspect and damage what is stored
}

export const SNAP = (n: number): string => `holdfast_2026-01-0${n}_00:00:00_daily`;

export function keyFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hf-key-'));
  const path = join(dir, 'backup.key');
  writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

export async function addSnap(ds: string, mnt: string, i: number): Promise<void> {
  await writeData(ds, mnt, {
    [`file${i}`]: randomBytes(i === 1 ? 2 * 1024 * 1024 : 256 * 1024),
    changing: `version ${i} ${randomBytes(8).toString('hex')}`,
  });
  await zfs('snapshot', `${ds}@${SNAP(i)}`);
}

// Write files into a mounted dataset. Another lane's pool clean-up runs `zfs unmount -a`, which
// unmounts every dataset of the machine: mount again and retry, so no write lands elsewhere.
export async function writeData(ds: string, mnt: string, files: Record<string, string | Buffer>): Promise<void> {
  const mounted = async () => (await zfs('get', '-H', '-o', 'value', 'mounted', ds)).trim() === 'yes';
  for (let attempt = 0; ; attempt++) {
    await run(['zfs', 'mount', ds]);
    try {
      if (await mounted()) {
        for (const [name, data] of Object.entries(files)) writeFileSync(join(mnt, name), data);
        if (await mounted()) return;
      }
    } catch (e) {
      if (attempt >= 20) throw e;
    }
    if (attempt >= 20) throw new Error(`${ds} does not stay mounted`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function mountOf(ds: string): Promise<string> {
  return (await zfs('get', '-H', '-o', 'value', 'mountpoint', ds)).trim();
}

export function filesHash(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );
}

export async function readAll(store: ObjectStore, key: string): Promise<Buffer> {
  return Buffer.concat(await (await store.get(key)).toArray());
}

export interface Ctx {
  readonly lab: StoreLab;
  readonly pool: string;
  conf(ds: string, dest: string, extra?: string): string; // [ds] sends to [dest]
  run(conf: string, args: readonly string[]): Promise<Ran>;
}

export function makeCtx(lab: StoreLab, pool: string): Ctx {
  const locks = lockDir();
  return {
    lab,
    pool,
    conf: (ds, dest, extra = '') => writeConfig(`[${ds}]\ndest = ${dest}\n\n[${dest}]\n${lab.section(dest)}${extra}`),
    run: (conf, args) => holdfast(['--config', conf, '--lock-dir', locks, ...args], { env: lab.env() }),
  };
}

// The round trip and the faults, in that order; each test has its own dataset and store.
export function storeSuite(get: () => Ctx): void {
  describe('round trip', () => {
    it('a full and three incrementals up (zstd, encrypted), status and verify clean, restored to a new dataset with identical content', async () => {
      const c = get();
      const dest = await c.lab.newDest('rt');
      const key = keyFile();
      const ds = `${c.pool}/rt`;
      const conf = c.conf(ds, dest, `encrypt = yes\nencryption_key_file = ${key}\n`);
      await zfs('create', ds);
      const mnt = await mountOf(ds);
      await addSnap(ds, mnt, 1);
      const first = await c.run(conf, ['send', '-s', ds, '-d', dest]);
      expect(first.code, first.stderr).toBe(0);
      for (const i of [2, 3, 4]) await addSnap(ds, mnt, i);
      const dry = await c.run(conf, ['--dry-run', 'send']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain(`zfs send -i ${ds}@${SNAP(1)} ${ds}@${SNAP(2)} | zstd -q -c -T0 | encrypt AES-256-GCM (key id`);
      const second = await c.run(conf, ['send']);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toMatch(/uploaded 3 snapshots/);
      // The store's base is held on the source (so clean keeps it); the previous one is released.
      const refs = async (n: number) => (await zfs('get', '-H', '-o', 'value', 'userrefs', `${ds}@${SNAP(n)}`)).trim();
      expect([await refs(1), await refs(3), await refs(4)]).toEqual(['0', '0', '1']);
      const st = await c.run(conf, ['status', dest]);
      expect(st.code, st.stderr).toBe(0);
      expect(st.stdout).toMatch(new RegExp(`${SNAP(1)}\\s+yes\\s+yes\\s+full\\s+-\\s`));
      expect(st.stdout).toMatch(new RegExp(`${SNAP(4)}\\s+yes\\s+yes\\s+incr\\s+${SNAP(3)}\\s.*\\sok$`, 'm'));
      const v = await c.run(conf, ['verify', dest]);
      expect(v.code, v.stdout + v.stderr).toBe(0);
      expect(v.stdout).toContain('4 of 4 objects match their manifest');
      const target = `${c.pool}/rt-restored`;
      const r = await c.run(conf, ['restore', dest, `${ds}@${SNAP(4)}`, '--to', target]);
      expect(r.code, r.stderr).toBe(0);
      for (const i of [1, 2, 3, 4])
        expect(await zfs('get', '-H', '-o', 'value', 'guid', `${target}@${SNAP(i)}`)).toBe(
          await zfs('get', '-H', '-o', 'value', 'guid', `${ds}@${SNAP(i)}`),
        );
      await must(['zfs', 'mount', target]).catch(() => undefined);
      expect(filesHash(await mountOf(target))).toEqual(filesHash(mnt));
      await destroyTree(target);
    });
  });

  describe('faults', () => {
    it('a corrupted object: verify and restore fail and name it; the receive is killed mid-stream and keeps nothing', async () => {
      const c = get();
      // Uncompressed, so the 2 MiB full stream flows into zfs receive before the sha256 is known.
      const { dest, ds, conf } = await stored(c, 'cor', 3, 'store_compress = none\n');
      const store = await c.lab.open(dest);
      const key = (await manifest(store, ds, SNAP(1))).object.key;
      const bytes = await readAll(store, key);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x40; // same size: only the checksum can tell
      await store.put(key, Readable.from([bytes]));
      await store.close();
      const v = await c.run(conf, ['verify', dest]);
      expect(v.code).toBe(1);
      expect(v.stdout).toContain(`${dest}/${key}: corrupt: the stored bytes have sha256`);
      const target = `${c.pool}/cor-restored`;
      const r = await c.run(conf, ['restore', dest, `${ds}@${SNAP(3)}`, '--to', target]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${dest}/${key}: corrupt`);
      expect(await snapsOf(target)).toEqual([]);
      // Said as found: OpenZFS drops the partial dataset at once; zfs-fuse's daemon, which reads
      // the stream itself, usually drops it a moment later, and the message says if it did not.
      if ((await run(['zfs', 'list', target])).code !== 0) {
        expect(r.stderr).toContain(`zfs receive of @${SNAP(1)} was stopped; it kept nothing: nothing was received into ${target}`);
      } else {
        expect(r.stderr).toContain(
          `zfs receive of @${SNAP(1)} was stopped; nothing was received, but it left ${target} behind; remove it with zfs destroy -r ${target}`,
        );
        await destroyTree(target);
      }
      // The other links are intact: a restore that does not need the damaged one works.
      const store2 = await c.lab.open(dest);
      expect((await manifest(store2, ds, SNAP(2))).kind).toBe('incremental');
      await store2.close();
    });

    it('a missing middle incremental: status says the chain is broken (exit 1), restore refuses before receiving', async () => {
      const c = get();
      const { dest, ds, conf } = await stored(c, 'mid', 3, '');
      const store = await c.lab.open(dest);
      const m = await manifest(store, ds, SNAP(2));
      await store.delete([manifestKey(ds, SNAP(2)), m.object.key]);
      await store.close();
      const st = await c.run(conf, ['status', dest]);
      expect(st.code).toBe(1);
      expect(st.stdout).toContain(`(1 broken chain)`);
      expect(st.stdout).toContain(`^ @${SNAP(3)}: its parent @${SNAP(2)} is not stored`);
      const json = JSON.parse((await c.run(conf, ['--json', 'status', dest])).stdout) as { healthy: boolean };
      expect(json.healthy).toBe(false);
      const target = `${c.pool}/mid-restored`;
      const r = await c.run(conf, ['restore', dest, `${ds}@${SNAP(3)}`, '--to', target]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(
        `cannot restore ${ds}@${SNAP(3)}: its chain is broken: @${SNAP(3)}: its parent @${SNAP(2)} is not stored; nothing was received`,
      );
      expect(await snapsOf(target)).toEqual([]);
      // The next send starts a new full chain instead of extending a broken one.
      const again = await c.run(conf, ['send']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toContain('has a broken chain');
    });

    it('a truncated ciphertext and a flipped bit (manifests rewritten to match): decryption fails, naming the object', async () => {
      const c = get();
      const key = keyFile();
      const { dest, ds, conf } = await stored(c, 'enc', 2, `encrypt = yes\nencryption_key_file = ${key}\n`);
      const store = await c.lab.open(dest);
      const target = `${c.pool}/enc-restored`;
      for (const damage of ['truncate', 'flip'] as const) {
        const m = await manifest(store, ds, SNAP(1));
        const orig = await readAll(store, m.object.key);
        const bad = damage === 'truncate' ? orig.subarray(0, orig.length - 100) : Buffer.from(orig);
        if (damage === 'flip') bad[100]! ^= 1;
        await store.put(m.object.key, Readable.from([bad]));
        const sha256 = createHash('sha256').update(bad).digest('hex');
        await store.putSmall(manifestKey(ds, SNAP(1)), JSON.stringify({ ...m, object: { ...m.object, bytes: bad.length, sha256 } }));
        const r = await c.run(conf, ['restore', dest, `${ds}@${SNAP(2)}`, '--to', target]);
        expect(r.code, damage).toBe(1);
        expect(r.stderr).toContain(`${dest}/${m.object.key}: `);
        expect(r.stderr).toMatch(damage === 'truncate' ? /truncated|failed authentication/ : /segment 0 failed authentication/);
        expect(await snapsOf(target)).toEqual([]);
        await store.put(m.object.key, Readable.from([orig]));
        await store.putSmall(manifestKey(ds, SNAP(1)), JSON.stringify(m));
      }
      await store.close();
      const ok = await c.run(conf, ['restore', dest, `${ds}@${SNAP(2)}`, '--to', target]);
      expect(ok.code, ok.stderr).toBe(0);
      await destroyTree(target);
    });

    it('retention with full_every: old chains expire whole, what is kept stays restorable after every prune', async () => {
      const c = get();
      const dest = await c.lab.newDest('ret');
      const ds = `${c.pool}/ret`;
      const conf = c.conf(ds, dest, 'daily = 2\nclean = yes\nfull_every = 1\n');
      await zfs('create', ds);
      const mnt = await mountOf(ds);
      for (let i = 1; i <= 5; i++) {
        await addSnap(ds, mnt, i);
        const s = await c.run(conf, ['send']);
        expect(s.code, s.stderr).toBe(0);
        const st = await c.run(conf, ['status', dest]); // exit 0: every stored chain is complete
        expect(st.code, st.stdout).toBe(0);
      }
      const st = JSON.parse((await c.run(conf, ['--json', 'status', dest])).stdout) as {
        datasets: { snapshots: { snapshot: string; remote: boolean; kind?: string }[] }[];
      };
      const remote = st.datasets[0]!.snapshots.filter((r) => r.remote).map((r) => `${r.snapshot.slice(17, 19)}:${r.kind}`);
      // Chains of a full and one incremental: 1-2, 3-4, 5. Dailies 4 and 5 are kept: 3-4 stays whole.
      expect(remote).toEqual(['03:full', '04:incremental', '05:full']);
      const explain = await c.run(conf, ['status', dest, '--explain']);
      expect(explain.stdout).toContain(`keep   @${SNAP(3)} (full)  in the chain of kept @${SNAP(4)}`);
      const target = `${c.pool}/ret-restored`;
      const r = await c.run(conf, ['restore', dest, `${ds}@${SNAP(4)}`, '--to', target]);
      expect(r.code, r.stderr).toBe(0);
      await destroyTree(target);
    });
  });
}

// A dataset with `n` snapshots, all stored.
export async function stored(c: Ctx, tag: string, n: number, extra: string): Promise<{ dest: string; ds: string; conf: string }> {
  const dest = await c.lab.newDest(tag);
  const ds = `${c.pool}/${tag}`;
  const conf = c.conf(ds, dest, extra);
  await zfs('create', ds);
  const mnt = await mountOf(ds);
  for (let i = 1; i <= n; i++) await addSnap(ds, mnt, i);
  await c.run(conf, ['send', '--snapshot', SNAP(1)]).then((r) => expect(r.code, r.stderr).toBe(0));
  const all = await c.run(conf, ['send']);
  expect(all.code, all.stderr).toBe(0);
  return { dest, ds, conf };
}

export async function manifest(store: ObjectStore, ds: string, snap: string) {
  return JSON.parse((await readAll(store, manifestKey(ds, snap))).toString()) as import('../../src/domain/store/manifest.js').Manifest;
}

export async function snapsOf(ds: string): Promise<string[]> {
  const r = await zfs('list', '-H', '-o', 'name', '-t', 'snapshot', '-r', ds).catch(() => '');
  return r
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(l.indexOf('@') + 1));
}

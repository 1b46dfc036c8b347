import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStore } from '../../src/adapters/store/file-store.js';
import { BIN } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { LAB_DIR, type TestPool, createPool, zfs } from '../helpers/zfs-lab.js';
import {
  type Ctx,
  SNAP,
  type StoreLab,
  addSnap,
  filesHash,
  keyFile,
  makeCtx,
  manifest,
  mountOf,
  snapsOf,
  storeSuite,
  stored,
  writeData,
} from './store-suite.js';

// Issue #4's store suite against file:// stores (directories of chunk files), on zfs-fuse.
const MiB = 1024 * 1024;
const lab: StoreLab = {
  kind: 'file',
  newDest: async (tag) => {
    mkdirSync(join(LAB_DIR, 'stores'), { recursive: true });
    return `file://${mkdtempSync(join(LAB_DIR, 'stores', `${tag}-`))}`;
  },
  section: () => 'chunk_size = 1M\n', // several chunk files per stream
  env: () => ({}),
  open: async (url) => FileStore.open(url, { chunkSize: MiB }),
};

let pool: TestPool;
let ctx: Ctx;
beforeAll(async () => {
  pool = await createPool('st', 512);
  ctx = makeCtx(lab, pool.name);
});
afterAll(async () => pool?.destroy());

describe('file:// store', () => {
  storeSuite(() => ctx);

  it('a run killed during an upload leaves no object and no manifest; the next run uploads it again', async () => {
    const dest = await lab.newDest('kill');
    const root = dest.slice('file://'.length);
    const ds = `${pool.name}/kill`;
    const conf = ctx.conf(ds, dest);
    await zfs('create', ds);
    const mnt = await mountOf(ds);
    await addSnap(ds, mnt, 1);
    expect((await ctx.run(conf, ['send'])).code).toBe(0);
    await writeData(ds, mnt, { big: randomBytes(48 * MiB) });
    await zfs('snapshot', `${ds}@${SNAP(2)}`);
    const child = spawn(process.execPath, [BIN, '--config', conf, '--lock-dir', mkdtempSync('/tmp/hf-lock-'), 'send'], {
      stdio: 'ignore',
      env: { ...process.env, TZ: 'UTC' },
    });
    const streams = join(root, 'streams', ...ds.split('/'));
    const tmp = (): boolean => existsSync(streams) && readdirSync(streams).some((n) => n.startsWith('.tmp-'));
    for (let i = 0; i < 600 && !tmp(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(tmp()).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const st = await ctx.run(conf, ['status', dest]);
    expect(st.code, st.stdout).toBe(0);
    expect(st.stdout).toMatch(new RegExp(`${SNAP(2)}\\s+yes\\s+no\\s`));
    const again = await ctx.run(conf, ['send']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`uploaded ${ds}@${SNAP(2)}`);
    expect((await ctx.run(conf, ['verify', dest])).code).toBe(0);
  });

  it("z3's backup --full / --snapshot NAME, and a snapshot prefix filter", async () => {
    const dest = await lab.newDest('z3');
    const ds = `${pool.name}/z3`;
    const conf = ctx.conf(ds, dest, 'snapshot_prefix = holdfast_\n');
    await zfs('create', ds);
    const mnt = await mountOf(ds);
    for (const i of [1, 2, 3]) await addSnap(ds, mnt, i);
    await zfs('snapshot', `${ds}@manual-before-upgrade`);
    const first = await ctx.run(conf, ['send', '--snapshot', SNAP(2)]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`first upload: a full stream of @${SNAP(2)}`);
    const full = await ctx.run(conf, ['send', '--full']);
    expect(full.code, full.stderr).toBe(0);
    const store = await lab.open(dest);
    expect((await manifest(store, ds, SNAP(3))).kind).toBe('full');
    const st = await ctx.run(conf, ['status', dest]);
    expect(st.stdout).not.toContain('manual-before-upgrade');
    expect(await snapsOf(ds)).toContain('manual-before-upgrade');
    const dry = await ctx.run(conf, ['--dry-run', 'send', '--full', '--snapshot', SNAP(1)]);
    expect(dry.stdout).toContain(`zfs send ${ds}@${SNAP(1)} | zstd -q -c -T0 | upload ${dest}/streams/`);
  });

  // docs/offsite.md's recipe must restore what holdfast stores (encrypted, zstd, 1 MiB chunks).
  // scripts/setup.sh installs what the recipe needs (jq, python3-cryptography): a missing tool fails here.
  it('the emergency restore in docs/offsite.md works without holdfast', async () => {
    const missing = ['jq', 'sha256sum', 'zstd'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
    if (spawnSync('/usr/bin/python3', ['-c', 'import cryptography']).status !== 0) missing.push('python3-cryptography');
    expect(missing, 'apt install them (scripts/setup.sh does)').toEqual([]);
    const block = (file: string, name: string): string => {
      const m = new RegExp(`<!-- ${name.replace('.', '\\.')} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\`\\n<!-- end -->`).exec(
        readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8'),
      );
      if (!m?.[1]) throw new Error(`no ${name} block in docs/${file}`);
      return m[1];
    };
    const dir = mkdtempSync(join(LAB_DIR, 'recipe-'));
    writeFileSync(join(dir, 'emergency-restore.sh'), block('offsite.md', 'emergency-restore.sh'), { mode: 0o755 });
    writeFileSync(join(dir, 'emergency-decrypt.py'), block('encryption-format.md', 'emergency-decrypt.py'));
    const key = keyFile();
    const { dest, ds } = await stored(ctx, 'recipe', 3, `encrypt = yes\nencryption_key_file = ${key}\n`);
    const target = `${pool.name}/recipe-manual`;
    const r = await run(['bash', join(dir, 'emergency-restore.sh'), dest.slice('file://'.length), ds, SNAP(3), target, key], {
      cwd: dir,
      env: { ...process.env, PATH: `/usr/bin:/bin:/usr/sbin:/sbin:${process.env.PATH ?? ''}` },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`received ${target}@${SNAP(3)}`);
    await run(['zfs', 'mount', target]);
    await run(['zfs', 'mount', ds]);
    expect(filesHash(await mountOf(target))).toEqual(filesHash(await mountOf(ds)));
  });
});

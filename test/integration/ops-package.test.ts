import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIBFAKETIME } from '../helpers/cli.js';
import { type Ran, must, run } from '../helpers/run.js';
import { type TestPool, countsByType, createPool } from '../helpers/zfs-lab.js';

// What users install: `npm pack`'s tarball installed into an empty prefix (from the npm cache
// where it can; metadata `npm ci` never fetched comes from the registry), and the single-file bundle run by plain node with no
// node_modules anywhere near it. Both print --help and run a real snap cycle on zfs-fuse.
const ROOT = resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'hf-pkg-'));
const PREFIX = join(tmp, 'prefix');
const BUNDLE_DIR = join(tmp, 'bundle');
const BUNDLE = join(BUNDLE_DIR, 'holdfast');
let files: string[] = [];
let pool: TestPool;

beforeAll(async () => {
  await must([process.execPath, join(ROOT, 'scripts/gen-man.mjs')]);
  const packed = JSON.parse(await must(['npm', 'pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT })) as [
    { filename: string; files: { path: string }[] },
  ];
  files = packed[0].files.map((f) => f.path).sort();
  await must(
    ['npm', 'install', '--global', '--prefix', PREFIX, '--prefer-offline', '--no-audit', '--no-fund', join(tmp, packed[0].filename)],
    { cwd: tmp },
  );
  mkdirSync(BUNDLE_DIR);
  await must([process.execPath, join(ROOT, 'scripts/build-bundle.mjs'), join(tmp, 'holdfast.cjs')]);
  copyFileSync(join(tmp, 'holdfast.cjs'), BUNDLE); // installed under a plain name, as the docs say
  pool = await createPool('pk', 128);
}, 240_000);
afterAll(async () => pool?.destroy());

const installed = (args: string[], o: { faketime?: string } = {}) => runAt([join(PREFIX, 'bin/holdfast'), ...args], o);
const bundled = (args: string[], o: { faketime?: string } = {}) => runAt([process.execPath, BUNDLE, ...args], o);
function runAt(argv: string[], o: { faketime?: string }): Promise<Ran> {
  const fake = o.faketime ? { LD_PRELOAD: LIBFAKETIME, FAKETIME: o.faketime, FAKETIME_DONT_FAKE_MONOTONIC: '1' } : {};
  // No NODE_PATH and a cwd outside the repository: nothing but what was installed can load.
  const env: NodeJS.ProcessEnv = { PATH: `${process.env.PATH}`, HOME: tmp, TZ: 'UTC', ...fake };
  return run(argv, { env, cwd: BUNDLE_DIR });
}

// Median wall time of `--version` over a few runs, in ms.
async function startup(argv: string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await run(argv, { cwd: BUNDLE_DIR });
    times.push(performance.now() - t0);
  }
  return Math.round(times.sort((a, b) => a - b)[3]!);
}

// Three cron runs 15 minutes apart with frequent = 2: take, take, take and prune the oldest.
async function snapCycle(exec: typeof installed, dataset: string): Promise<void> {
  const conf = join(tmp, `${dataset.replace(/\//g, '_')}.conf`);
  writeFileSync(conf, `[${dataset}]\nfrequent = 2\nsnap = yes\nclean = yes\n`);
  await must(['zfs', 'create', dataset]);
  for (const t of ['2026-03-01 10:00:00', '2026-03-01 10:15:00', '2026-03-01 10:30:00']) {
    const r = await exec(['--config', conf, '--lock-dir', join(tmp, 'lock'), 'snap'], { faketime: t });
    expect(r.code, r.stderr).toBe(0);
  }
  expect(await countsByType(dataset)).toEqual({ frequent: 2 });
}

describe('npm pack', () => {
  it('ships only what runs: bin, dist (no maps, no bundle), examples, the man page, README, LICENSE, CHANGELOG', () => {
    const allowed =
      /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|bin\/holdfast\.js|dist\/[\w/-]+\.js|examples\/[\w./-]+|man\/holdfast\.1)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    for (const f of [
      'bin/holdfast.js',
      'dist/cli/main.js',
      'man/holdfast.1',
      'examples/cron.d/holdfast',
      'examples/systemd/holdfast-snap.service',
      'examples/holdfast.conf',
      'LICENSE',
      'CHANGELOG.md',
    ])
      expect(files).toContain(f);
    if (existsSync(join(ROOT, 'README.md'))) expect(files).toContain('README.md');
  });

  it('installed into an empty prefix: --help, --version, the man page, and a snap cycle on zfs-fuse', async () => {
    const help = await installed(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: holdfast /);
    expect((await installed(['--version'])).stdout.trim()).toBe('0.1.0');
    const man = await run(['man', '-l', join(PREFIX, 'share/man/man1/holdfast.1')], { env: { ...process.env, MANWIDTH: '80' } });
    expect(man.stdout).toMatch(/^HOLDFAST\(1\)/);
    await snapCycle(installed, `${pool.name}/npm`);
  });
});

describe('the single-file bundle', () => {
  it('runs --help, --version, a snap cycle and --log-json (pino inside) with plain node and no node_modules', async () => {
    expect(existsSync(join(BUNDLE_DIR, 'node_modules'))).toBe(false);
    const help = await bundled(['snap', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Example:');
    expect((await bundled(['--version'])).stdout.trim()).toBe('0.1.0');
    await snapCycle(bundled, `${pool.name}/bundle`);
    const conf = join(tmp, 'log-json.conf');
    writeFileSync(conf, `[${pool.name}/bundle]\nfrequent = 2\nsnap = yes\n[${pool.name}/absent]\nfrequent = 1\nsnap = yes\n`);
    const json = await bundled(['--log-json', '--config', conf, '--lock-dir', join(tmp, 'lock'), 'snap'], {
      faketime: '2026-03-01 10:45:00',
    });
    expect(json.code).toBe(1);
    const lines = json.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: number; msg: string; name: string });
    expect(lines.at(-1)).toMatchObject({ level: 50, name: 'holdfast', msg: expect.stringMatching(/^snap: took 1, .* 1 failed/) });
  });

  it('carries the AWS SDK inside: doctor reaches an S3 endpoint (a dead one) from the bundle alone', async () => {
    const conf = join(tmp, 's3.conf');
    writeFileSync(conf, `[${pool.name}]\nsnap = no\ndest = s3://holdfast-test/x\n`);
    const r = await run([process.execPath, BUNDLE, '--config', conf, '--json', 'doctor'], {
      cwd: BUNDLE_DIR,
      env: {
        PATH: `${process.env.PATH}`,
        HOME: tmp,
        HOLDFAST_S3_ENDPOINT: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: 'a',
        AWS_SECRET_ACCESS_KEY: 'b',
      },
    });
    const s3 = (JSON.parse(r.stdout) as { findings: { check: string; status: string; detail: string }[] }).findings.find(
      (f) => f.check === 's3',
    );
    expect(s3).toMatchObject({ status: 'fail', detail: expect.stringContaining('did not answer (ECONNREFUSED') });
  });
});

describe('start-up', () => {
  it('holdfast --version: installed and bundled, against node alone (printed for the record)', async () => {
    const node = await startup([process.execPath, '-e', '0']);
    const npm = await startup([join(PREFIX, 'bin/holdfast'), '--version']);
    const bundle = await startup([process.execPath, BUNDLE, '--version']);
    console.log(`start-up (median of 7, ms): node -e 0 ${node}, npm install ${npm}, bundle ${bundle}`);
    expect(npm).toBeLessThan(node + 1500);
    expect(bundle).toBeLessThan(node + 1500);
  });
});

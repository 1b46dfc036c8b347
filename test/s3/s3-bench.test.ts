import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { MiB, newBucket, swift } from './fixtures.js';

// HOLDFAST_BENCH=1 npx vitest run --project s3 test/s3/s3-bench.test.ts
// Our uploader vs @aws-sdk/lib-storage's Upload on the same 200 MiB file, same part size and
// concurrency, each in its own process (for a clean RSS).
describe.runIf(process.env.HOLDFAST_BENCH === '1')('upload benchmark', () => {
  let dir = '';
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('compares MB/s and peak RSS', async () => {
    dir = await mkdtemp(join(tmpdir(), 'holdfast-bench-'));
    const file = join(dir, 'data');
    const fh = await open(file, 'w');
    for (let i = 0; i < 200; i++) await fh.write(randomBytes(MiB));
    await fh.close();
    const child = join(dir, 'bench-child.mjs');
    await build({
      entryPoints: [new URL('./bench-child.ts', import.meta.url).pathname],
      bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'error',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    const sw = swift();
    const bucket = await newBucket('bench');
    const rows: Record<string, unknown>[] = [];
    for (const [part, conc] of [[5 * MiB, 2], [16 * MiB, 4]] as const) {
      for (const mode of ['holdfast', 'lib-storage', 'holdfast', 'lib-storage', 'holdfast', 'lib-storage']) {
        const out = execFileSync(process.execPath, [child], {
          env: {
            ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', BENCH_FILE: file, BENCH_BUCKET: bucket, BENCH_MODE: mode,
            BENCH_PART: String(part), BENCH_CONCURRENCY: String(conc), BENCH_ENDPOINT: sw.endpoint, BENCH_KEY_ID: sw.accessKeyId, BENCH_SECRET: sw.secretAccessKey,
          },
        });
        rows.push(JSON.parse(out.toString().trim().split('\n').pop() as string) as Record<string, unknown>);
      }
    }
    console.table(rows.map((r) => ({ ...r, partSize: `${Number(r.partSize) / MiB} MiB`, MBps: Number(r.MBps).toFixed(1), baseRssMiB: Number(r.baseRssMiB).toFixed(0), peakRssMiB: Number(r.peakRssMiB).toFixed(0) })));
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    for (const key of new Set(rows.map((r) => `${r.mode} ${Number(r.partSize) / MiB} MiB × ${r.concurrency}`))) {
      const mine = rows.filter((r) => `${r.mode} ${Number(r.partSize) / MiB} MiB × ${r.concurrency}` === key);
      console.log(`${key}: median ${median(mine.map((r) => Number(r.MBps))).toFixed(1)} MB/s, peak RSS ${Math.max(...mine.map((r) => Number(r.peakRssMiB))).toFixed(0)} MiB`);
    }
    expect(rows).toHaveLength(12);
  });
});

// Run by s3-bench.test.ts in a fresh node process (bundled by esbuild), so each uploader's RSS is
// measured alone. Settings come from the environment (credentials never on argv).
import { createReadStream, statSync } from 'node:fs';
import { S3Credentials } from '../../src/adapters/store/s3-credentials.js';
import { resolveS3Settings } from '../../src/adapters/store/s3-settings.js';
import { S3Store } from '../../src/adapters/store/s3-store.js';

const need = (name: string): string => process.env[name] ?? (console.error(`${name} is not set`), process.exit(2));
const [file, bucket, mode] = [need('BENCH_FILE'), need('BENCH_BUCKET'), need('BENCH_MODE')];
const partSize = Number(need('BENCH_PART'));
const concurrency = Number(need('BENCH_CONCURRENCY'));
const size = statSync(file).size;
const base = process.memoryUsage().rss;
let peak = base;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const creds = new S3Credentials(need('BENCH_KEY_ID'), need('BENCH_SECRET'), 'bench');
const settings = resolveS3Settings({ endpoint: need('BENCH_ENDPOINT'), partSize, concurrency }, {});
const t0 = performance.now();
if (mode === 'holdfast') {
  const store = await S3Store.open(`s3://${bucket}`, settings, creds);
  await store.put(`holdfast-${Date.now()}`, createReadStream(file, { highWaterMark: 1024 * 1024 }));
  await store.close();
} else {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const client = new S3Client({
    endpoint: need('BENCH_ENDPOINT'), region: 'us-east-1', forcePathStyle: true, credentials: creds.forSdk(),
    requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const body = createReadStream(file, { highWaterMark: 1024 * 1024 });
  await new Upload({ client, params: { Bucket: bucket, Key: `libstorage-${Date.now()}`, Body: body }, partSize, queueSize: concurrency }).done();
  client.destroy();
}
const secs = (performance.now() - t0) / 1000;
clearInterval(timer);
console.log(JSON.stringify({ mode, partSize, concurrency, MBps: size / 1e6 / secs, baseRssMiB: base / 2 ** 20, peakRssMiB: peak / 2 ** 20 }));

// One measured operation in a fresh node process (so its RSS is its own), for bench/s3/run.mjs.
// Settings come from the environment (credentials never on argv):
//   BENCH_OP=upload: the SDK's own multipart uploader (lib-storage Upload) from BENCH_FILE
//   BENCH_OP=hf-upload: holdfast's own uploader (dist/adapters/store, the one `send` uses) from BENCH_FILE
//   BENCH_OP=download: a plain GetObject of BENCH_KEY, read to the end and thrown away
// Prints one JSON line: { op, bytes, seconds, peakRssMiB }.
import { createReadStream, statSync } from 'node:fs';
import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

const need = (k) => process.env[k] ?? (console.error(`${k} is not set`), process.exit(2));
let peak = process.memoryUsage().rss;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
const client = new S3Client({
  endpoint: need('BENCH_ENDPOINT'),
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: need('BENCH_KEY_ID'), secretAccessKey: need('BENCH_SECRET') },
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});
const t0 = performance.now();
let bytes = 0;
if (need('BENCH_OP') === 'hf-upload') {
  const root = new URL('../../dist/adapters/store/', import.meta.url).href;
  const [{ S3Credentials }, { resolveS3Settings }, { S3Store }] = await Promise.all([
    import(`${root}s3-credentials.js`),
    import(`${root}s3-settings.js`),
    import(`${root}s3-store.js`),
  ]);
  const settings = resolveS3Settings(
    { endpoint: need('BENCH_ENDPOINT'), partSize: Number(need('BENCH_PART')), concurrency: Number(need('BENCH_CONCURRENCY')) },
    {},
  );
  const store = await S3Store.open(
    `s3://${need('BENCH_BUCKET')}`,
    settings,
    new S3Credentials(need('BENCH_KEY_ID'), need('BENCH_SECRET'), 'bench'),
  );
  const file = need('BENCH_FILE');
  bytes = statSync(file).size;
  await store.put(need('BENCH_KEY'), createReadStream(file, { highWaterMark: 1024 * 1024 }));
  await store.close();
} else if (need('BENCH_OP') === 'upload') {
  const file = need('BENCH_FILE');
  bytes = statSync(file).size;
  const body = createReadStream(file, { highWaterMark: 1024 * 1024 });
  await new Upload({
    client,
    params: { Bucket: need('BENCH_BUCKET'), Key: need('BENCH_KEY'), Body: body },
    partSize: Number(need('BENCH_PART')),
    queueSize: Number(need('BENCH_CONCURRENCY')),
  }).done();
} else {
  const out = await client.send(new GetObjectCommand({ Bucket: need('BENCH_BUCKET'), Key: need('BENCH_KEY') }));
  for await (const c of out.Body) bytes += c.length;
}
const seconds = (performance.now() - t0) / 1000;
clearInterval(timer);
client.destroy();
console.log(JSON.stringify({ op: process.env.BENCH_OP, bytes, seconds, peakRssMiB: peak / 2 ** 20 }));

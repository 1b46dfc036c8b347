import { chmodSync } from 'node:fs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/app/doctor/finding.js';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { type SwiftServer, startSwift } from '../helpers/swift.js';
import { type TestPool, createPool } from '../helpers/zfs-lab.js';

// doctor's S3 check against a real S3 server (OpenStack Swift): the right secret answers, a
// wrong one is a failure naming the key to fix, and the secret never shows.
let swift: SwiftServer;
let pool: TestPool;
const bucket = `hf-doctor-${Date.now().toString(36)}`;

beforeAll(async () => {
  [swift, pool] = await Promise.all([startSwift(), createPool('ds', 64)]);
  const c = new S3Client({
    endpoint: swift.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: swift.accessKeyId, secretAccessKey: swift.secretAccessKey },
  });
  await c.send(new CreateBucketCommand({ Bucket: bucket }));
  c.destroy();
}, 120_000);
afterAll(async () => {
  await swift?.stop();
  await pool?.destroy();
});

async function doctor(secret: string, dest = `s3://${bucket}/nas`): Promise<{ code: number; s3: Finding | undefined; out: string }> {
  // The endpoint comes from the store's own section (as send reads it), the keys from the environment.
  const conf = writeConfig(`[${pool.name}]\nhourly = 1\nsnap = yes\ndest = ${dest}\n\n[${dest}]\ns3_endpoint = ${swift.endpoint}\n`);
  chmodSync(conf, 0o600);
  const env = { AWS_ACCESS_KEY_ID: swift.accessKeyId, AWS_SECRET_ACCESS_KEY: secret };
  const r = await holdfast(['--config', conf, '--lock-dir', lockDir(), '--json', 'doctor'], { env });
  const rows = (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
  return { code: r.code, s3: rows.find((f) => f.check === 's3'), out: r.stdout + r.stderr };
}

describe('holdfast doctor: S3', () => {
  it('the bucket answers with the right credentials: ok, exit 0', async () => {
    const r = await doctor(swift.secretAccessKey);
    expect(r.s3).toEqual({ check: 's3', where: `s3://${bucket}/nas`, status: 'ok', detail: 'the bucket answers with these credentials' });
    expect(r.code).toBe(0);
  });

  it('a wrong secret: a failure saying which key to fix, exit 1, the secret nowhere', async () => {
    const r = await doctor('not-the-secret-at-all');
    expect(r.s3).toEqual({
      check: 's3',
      where: `s3://${bucket}/nas`,
      status: 'fail',
      detail: `s3://${bucket}/nas: the server rejected the credentials (SignatureDoesNotMatch)`,
      fix: 'check aws_secret_access_key in $AWS_SECRET_ACCESS_KEY',
    });
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('not-the-secret-at-all');
  });

  it('a bucket that does not exist: a failure saying to create it', async () => {
    const r = await doctor(swift.secretAccessKey, 's3://hf-no-such-bucket/x');
    expect(r.s3).toMatchObject({ status: 'fail', fix: expect.stringMatching(/^create the bucket/) });
    expect(r.code).toBe(1);
  });
});

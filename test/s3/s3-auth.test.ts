import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyLoadError } from '../../src/adapters/crypto/index.js';
import { loadS3Credentials, openStore, S3AuthError, S3BucketNotFoundError, S3UnreachableError } from '../../src/adapters/store/index.js';
import { FAST_RETRY, MiB, newBucket, openS3, pendingUploads, randomStream, rawKeys, swift } from './fixtures.js';

const bucket = await newBucket('auth');
const dir = await mkdtemp(join(tmpdir(), 'holdfast-cred-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('S3 credentials and typed errors', () => {
  it('wrong secret: one-line S3AuthError naming where to look; nothing uploaded, no upload left', async () => {
    const store = await openS3(`s3://${bucket}/pre`, {}, swift(), 'not-the-secret');
    const expected = `S3AuthError: s3://${bucket}/pre: the server rejected the credentials (SignatureDoesNotMatch); check aws_secret_access_key in test-credentials [default]`;
    expect(String(await store.check().catch((e: unknown) => e))).toBe(expected);
    const big = randomStream(12 * MiB);
    const err = await store.put('stream', big.stream).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3AuthError);
    expect(String(err)).toBe(expected);
    await expect(store.putSmall('manifest.json', '{}')).rejects.toThrow(S3AuthError);
    await expect(store.put('tiny', randomStream(100).stream)).rejects.toThrow(S3AuthError);
    expect(String(err)).not.toContain('not-the-secret');
    expect(await rawKeys(bucket)).toEqual([]);
    expect(await pendingUploads(bucket)).toEqual([]);
    await store.close();
  });

  it('a credentials file: wrong secret names the file and profile; mode 0644 is refused', async () => {
    const file = join(dir, 'credentials');
    const sw = swift();
    await writeFile(
      file,
      `# holdfast\n[default]\naws_access_key_id = nobody\naws_secret_access_key = x\n\n[backup]\naws_access_key_id = ${sw.accessKeyId}\naws_secret_access_key = wrong\n`,
    );
    await chmod(file, 0o600);
    const env = { HOLDFAST_S3_ENDPOINT: sw.endpoint };
    const store = await openStore(`s3://${bucket}`, { s3: { credentialsFile: file, profile: 'backup', retry: FAST_RETRY }, env });
    expect(String(await store.check().catch((e: unknown) => e))).toBe(
      `S3AuthError: s3://${bucket}: the server rejected the credentials (SignatureDoesNotMatch); check aws_secret_access_key in ${file} [backup]`,
    );
    await chmod(file, 0o644);
    await expect(openStore(`s3://${bucket}`, { s3: { credentialsFile: file }, env })).rejects.toThrow(KeyLoadError);
    await expect(loadS3Credentials({ file })).rejects.toThrow(
      `${file}: credentials file has mode 0644, readable by group or others; run: chmod 600 ${file}`,
    );
  });

  it('credentials from the environment work and are never shown', async () => {
    const sw = swift();
    const env = {
      HOLDFAST_S3_ENDPOINT: sw.endpoint,
      AWS_ACCESS_KEY_ID: sw.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sw.secretAccessKey,
      HOME: dir,
    };
    const store = await openStore(`s3://${bucket}/env`, { env });
    await store.check();
    expect(await store.putSmall('hello', 'hi')).toMatchObject({ bytes: 2 });
    const creds = await loadS3Credentials({}, env);
    const shown = [inspect(creds), JSON.stringify(creds), inspect(store, { depth: 6 })].join(' ');
    expect(shown).not.toContain(sw.secretAccessKey);
    await store.delete(['hello']);
    await store.close();
  });

  it('a missing bucket and a dead endpoint are typed too', async () => {
    const nob = await openS3('s3://no-such-bucket-here/x');
    await expect(nob.check()).rejects.toThrow(S3BucketNotFoundError);
    await nob.close();
    const dead = await openS3(`s3://${bucket}`, {}, { ...swift(), endpoint: 'http://127.0.0.1:9' });
    const err = await dead.check().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3UnreachableError);
    expect(String(err)).toMatch(/ECONNREFUSED/);
    await dead.close();
  });
});

import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadS3Credentials,
  parseDestination,
  parseSize,
  resolveS3Settings,
  StoreConfigError,
  StoreKeyError,
} from '../../src/adapters/store/index.js';
import { parseIni } from '../../src/adapters/store/s3-credentials.js';
import { mapS3Error } from '../../src/adapters/store/s3-errors.js';

const dir = await mkdtemp(join(tmpdir(), 'holdfast-settings-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('destinations', () => {
  it('parses s3:// and file:// and refuses the rest', () => {
    expect(parseDestination('s3://my-bucket/backups/host1/')).toEqual({
      kind: 's3',
      url: 's3://my-bucket/backups/host1',
      bucket: 'my-bucket',
      prefix: 'backups/host1/',
    });
    expect(parseDestination('s3://my-bucket')).toMatchObject({ bucket: 'my-bucket', prefix: '' });
    expect(parseDestination('file:///srv/backup/')).toMatchObject({ kind: 'file', root: '/srv/backup' });
    for (const bad of ['s3://Bad_Bucket/x', 'ftp://x', '/srv/backup', 'file://relative'])
      expect(() => parseDestination(bad), bad).toThrow(StoreKeyError);
  });
});

describe('S3 settings', () => {
  it('the config, then the environment for what the config leaves unset (never argv); validates', () => {
    const s = resolveS3Settings(
      { endpoint: 'http://cfg:1', concurrency: 2 },
      { HOLDFAST_S3_ENDPOINT: 'http://env:2', HOLDFAST_S3_PART_SIZE: '64M', AWS_REGION: 'eu-west-1' },
    );
    expect(s).toMatchObject({
      endpoint: 'http://cfg:1',
      concurrency: 2,
      partSize: 64 * 2 ** 20,
      region: 'eu-west-1',
      forcePathStyle: true,
    });
    expect(resolveS3Settings({}, { HOLDFAST_S3_ENDPOINT: 'http://env:2' }).endpoint).toBe('http://env:2');
    expect(() => resolveS3Settings({ partSize: 4 * 2 ** 20 }, {})).toThrow(/5 MiB/);
    expect(() => resolveS3Settings({}, { HOLDFAST_S3_CONCURRENCY: '0' })).toThrow(StoreConfigError);
    expect(parseSize('16MiB')).toBe(16 * 2 ** 20);
    expect(parseSize('1g')).toBe(2 ** 30);
    expect(() => parseSize('lots')).toThrow(StoreConfigError);
  });
});

describe('S3 credentials', () => {
  it('parses the shared-credentials INI format', () => {
    const ini = parseIni('; c\n[default]\naws_access_key_id = A\n# x\nAWS_SECRET_ACCESS_KEY=B==\n[profile p]\naws_access_key_id=C\n');
    expect(ini.get('default')?.get('aws_secret_access_key')).toBe('B==');
    expect(ini.get('profile p')?.get('aws_access_key_id')).toBe('C');
  });

  it('file beats env; env pair works; half an env pair or nothing at all is an error', async () => {
    const file = join(dir, 'creds');
    await writeFile(file, '[default]\naws_access_key_id = FILEID\naws_secret_access_key = FILESECRET\n');
    await chmod(file, 0o600);
    const env = { AWS_ACCESS_KEY_ID: 'ENVID', AWS_SECRET_ACCESS_KEY: 'ENVSECRET', HOME: dir };
    expect((await loadS3Credentials({ file }, env)).accessKeyId).toBe('FILEID');
    expect(await loadS3Credentials({}, env)).toMatchObject({ accessKeyId: 'ENVID', source: '$AWS_SECRET_ACCESS_KEY' });
    await expect(loadS3Credentials({}, { AWS_ACCESS_KEY_ID: 'x', HOME: dir })).rejects.toThrow(/both/);
    await expect(loadS3Credentials({}, { HOME: dir })).rejects.toThrow(/no S3 credentials/);
    await expect(loadS3Credentials({ file, profile: 'other' })).rejects.toThrow(`${file}: no [other] section`);
    expect(JSON.stringify(await loadS3Credentials({ file }))).not.toContain('FILESECRET');
  });
});

describe('S3 error mapping', () => {
  const ctx = { url: 's3://b/p/k', storeUrl: 's3://b/p', op: 'UploadPart 3', credentialsHint: '/etc/holdfast/s3 [default]' };
  const sdkError = (name: string, status: number, message = 'm') =>
    Object.assign(new Error(message), { name, Code: name, $metadata: { httpStatusCode: status } });

  it('maps codes to typed one-line errors', () => {
    expect(String(mapS3Error(sdkError('SignatureDoesNotMatch', 403), ctx))).toBe(
      'S3AuthError: s3://b/p: the server rejected the credentials (SignatureDoesNotMatch); check aws_secret_access_key in /etc/holdfast/s3 [default]',
    );
    expect(String(mapS3Error(sdkError('InvalidAccessKeyId', 403), ctx))).toContain('check aws_access_key_id in');
    expect(mapS3Error(sdkError('AccessDenied', 403), ctx).name).toBe('S3AccessDeniedError');
    expect(mapS3Error(Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: { httpStatusCode: 403 } }), ctx).name).toBe(
      'S3AccessDeniedError',
    );
    expect(mapS3Error(sdkError('NoSuchBucket', 404), ctx).name).toBe('S3BucketNotFoundError');
    expect(mapS3Error(sdkError('NoSuchKey', 404), ctx).name).toBe('StoreNotFoundError');
    expect(mapS3Error(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), ctx).name).toBe('S3UnreachableError');
    expect(String(mapS3Error(sdkError('InternalError', 500, 'line one\nline two'), ctx))).toBe(
      'S3RequestError: s3://b/p/k: UploadPart 3 failed (InternalError, HTTP 500): line one line two',
    );
  });
});

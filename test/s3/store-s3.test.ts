import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SwiftEndpoint, type SwiftServer, startSwift } from '../helpers/swift.js';
import { BIN, lockDir } from '../helpers/cli.js';
import { type TestPool, createPool, ensureZfsFuse, zfs } from '../helpers/zfs-lab.js';
import { type Ctx, SNAP, type StoreLab, addSnap, makeCtx, writeData, mountOf, storeSuite } from '../integration/store-suite.js';
import { newBucket, openS3, pendingUploads, rawKeys, swift } from './fixtures.js';

// Issue #4's store suite against Swift's S3 API, plus what only S3 has: credentials, a server
// that dies mid-upload, lifecycle rules.
function credentialsFile(sw: SwiftEndpoint, secret = sw.secretAccessKey): string {
  const path = join(mkdtempSync(join(tmpdir(), 'hf-s3cred-')), 'credentials');
  writeFileSync(path, `[default]\naws_access_key_id = ${sw.accessKeyId}\naws_secret_access_key = ${secret}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

function s3Lab(sw: SwiftEndpoint, bucket: string, creds: string): StoreLab {
  return {
    kind: 's3',
    newDest: async (tag) => `s3://${bucket}/${tag}-${randomBytes(3).toString('hex')}`,
    section: () => `s3_endpoint = ${sw.endpoint}\ns3_credentials_file = ${creds}\ns3_part_size = 5M\ns3_concurrency = 3\n`,
    env: () => ({ AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }),
    open: (url) => openS3(url, {}, sw),
  };
}

let pool: TestPool;
let ctx: Ctx;
let bucket: string;
beforeAll(async () => {
  await ensureZfsFuse();
  pool = await createPool('s3', 512);
  bucket = await newBucket('store');
  ctx = makeCtx(s3Lab(swift(), bucket, credentialsFile(swift())), pool.name);
}, 120_000);
afterAll(async () => pool?.destroy());

describe('s3:// store on Swift', () => {
  storeSuite(() => ctx);

  it('a wrong secret: one clear line, exit 1, nothing uploaded', async () => {
    const sw = swift();
    const wrong = makeCtx(s3Lab(sw, bucket, credentialsFile(sw, 'not-the-secret')), pool.name);
    const dest = `s3://${bucket}/wrong`;
    const ds = `${pool.name}/wrong`;
    await zfs('create', ds);
    await addSnap(ds, await mountOf(ds), 1);
    const conf = wrong.conf(ds, dest);
    const r = await wrong.run(conf, ['send']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the server rejected the credentials (SignatureDoesNotMatch); check aws_secret_access_key in`);
    expect(r.stderr).not.toContain('not-the-secret');
    expect((await rawKeys(bucket)).filter((k) => k.startsWith('wrong/'))).toEqual([]);
  });

  it('lifecycle rules: a server without the API gets a warning, the upload goes on', async () => {
    const dest = `s3://${bucket}/lc`;
    const ds = `${pool.name}/lc`;
    await zfs('create', ds);
    await addSnap(ds, await mountOf(ds), 1);
    const r = await ctx.run(ctx.conf(ds, dest, 's3_transition_days = 1\n'), ['send']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/lifecycle/);
  });
});

describe('Swift killed mid-upload', () => {
  const servers: SwiftServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  it('the upload fails (multipart aborted or reported), no manifest; after a restart the next run uploads it again', async () => {
    const sw = await startSwift({ keep: true });
    servers.push(sw);
    const b = await newBucket('crash', sw);
    const creds = credentialsFile(sw);
    const lab = s3Lab(sw, b, creds);
    const c = makeCtx(lab, pool.name);
    const dest = `s3://${b}/crash`;
    const ds = `${pool.name}/crash`;
    await zfs('create', ds);
    const mnt = await mountOf(ds);
    await addSnap(ds, mnt, 1);
    await writeData(ds, mnt, { big: randomBytes(24 * 1024 * 1024) });
    await zfs('snapshot', `${ds}@${SNAP(2)}`);
    const conf = c.conf(ds, dest);
    expect((await c.run(conf, ['send', '--snapshot', SNAP(1)])).code).toBe(0);
    const running = c.run(conf, ['send']);
    // Kill the servers once the multipart upload of @SNAP(2) has begun.
    for (let i = 0; i < 400 && (await pendingUploads(b, sw).catch(() => [])).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    sw.killServers();
    const r = await running;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/upload .*@holdfast_2026-01-02_00:00:00_daily: .*(unreachable|ECONNREFUSED|left behind|abort|socket)/i);
    await sw.stop();
    const again = await startSwift({ port: sw.port, dir: sw.dir });
    servers.push(again);
    const keys = await rawKeys(b, again);
    expect(keys.filter((k) => k.includes('manifests/') && k.includes('2026-01-02'))).toEqual([]);
    expect(keys.filter((k) => k.includes('streams/') && k.includes('2026-01-02'))).toEqual([]);
    const left = await pendingUploads(b, again);
    if (left.length > 0) expect(r.stderr).toContain(left[0]!.UploadId!); // reported, so it can be aborted
    const st = await c.run(conf, ['status', dest]);
    expect(st.stdout).toMatch(new RegExp(`${SNAP(2)}\\s+yes\\s+no\\s`));
    const ok = await c.run(conf, ['send']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((await c.run(conf, ['verify', dest])).code).toBe(0);
  });

  it('stopped mid-upload (SIGTERM, as systemctl stop sends): the multipart upload is aborted on the server, one line, exit 143', async () => {
    const sw = swift();
    const b = await newBucket('stop', sw);
    const lab = s3Lab(sw, b, credentialsFile(sw));
    const c = makeCtx(lab, pool.name);
    const dest = `s3://${b}/stop`;
    const ds = `${pool.name}/stop`;
    await zfs('create', ds);
    const mnt = await mountOf(ds);
    await writeData(ds, mnt, { big: randomBytes(64 * 1024 * 1024) });
    await zfs('snapshot', `${ds}@${SNAP(1)}`);
    const conf = c.conf(ds, dest, 'store_compress = none\n');
    const child = spawn(process.execPath, [BIN, '--config', conf, '--lock-dir', lockDir(), 'send'], {
      env: { ...process.env, ...lab.env(), TZ: 'UTC' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child.on('close', (code, signal) => r({ code, signal })),
    );
    for (let i = 0; i < 400 && (await pendingUploads(b, sw)).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await pendingUploads(b, sw), 'the multipart upload began').not.toEqual([]);
    child.kill('SIGTERM');
    expect(await ended, err).toEqual({ code: 143, signal: null });
    const lines = err.split('\n').filter((l) => / (INFO|WARN|ERROR) /.test(l));
    expect(
      lines.filter((l) => !/ INFO /.test(l)),
      err,
    ).toHaveLength(1);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `WARN  interrupted by SIGTERM during upload ${ds}@${SNAP(1)} → s3://${b}/stop \\(full\\); nothing of it is stored \\(the partial upload is removed\\): the next run uploads it again$`,
      ),
    );
    expect(await pendingUploads(b, sw)).toEqual([]); // aborted: no parts left stored
    expect((await rawKeys(b, sw)).filter((k) => k.includes('/stop/'))).toEqual([]); // no stream, no manifest
  });
});

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, lockDir, writeConfig } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { type TestPool, createPool, ensureZfsFuse, zfs } from '../helpers/zfs-lab.js';
import { SNAP, addSnap, mountOf, writeData } from '../integration/store-suite.js';
import { newBucket, swift } from './fixtures.js';

// Credentials and key material never appear in `ps` output, in logs (-v, --log-json), or in
// --dry-run / --json output: a real upload, sampled all along, then every other command.
let pool: TestPool;
beforeAll(async () => {
  await ensureZfsFuse();
  pool = await createPool('sec', 256);
}, 120_000);
afterAll(async () => pool?.destroy());

// The process tree under `root`, from one `ps` sample: each process's argv and, for the children
// (not holdfast itself, which was given the secrets), its environment as /proc shows it.
async function treeArgs(root: number): Promise<string[]> {
  const ps = await run(['ps', '-eo', 'pid=,ppid=,args=']);
  const rows = ps.stdout
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null);
  const mine = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [, pid, ppid] of rows) if (mine.has(Number(ppid)) && !mine.has(Number(pid))) grew = mine.add(Number(pid)) !== undefined;
  }
  return rows
    .filter(([, pid]) => mine.has(Number(pid)))
    .map((m) => `${m[3]!}${Number(m[1]) === root ? '' : `\n${environOf(Number(m[1]))}`}`);
}

function environOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').replace(/\0/g, '\n');
  } catch {
    return ''; // gone already
  }
}

describe('secrets', () => {
  it('the S3 secret, the key file content and a key in the environment never show', async () => {
    const sw = swift();
    const bucket = await newBucket('sec');
    const key = randomBytes(32);
    const envKey = randomBytes(32);
    const dir = mkdtempSync(join(tmpdir(), 'hf-sec-'));
    const keyFile = join(dir, 'backup.key');
    writeFileSync(keyFile, key.toString('hex'), { mode: 0o600 });
    chmodSync(keyFile, 0o600);
    const creds = join(dir, 'credentials');
    writeFileSync(creds, `[default]\naws_access_key_id = ${sw.accessKeyId}\naws_secret_access_key = ${sw.secretAccessKey}\n`, {
      mode: 0o600,
    });
    chmodSync(creds, 0o600);
    const ds = `${pool.name}/sec`;
    const ds2 = `${pool.name}/sec2`;
    for (const d of [ds, ds2]) {
      await zfs('create', d);
      const mnt = await mountOf(d);
      await writeData(d, mnt, { big: randomBytes(12 * 1024 * 1024) });
      await addSnap(d, mnt, 1);
    }
    const s3 = `s3_endpoint = ${sw.endpoint}\ns3_credentials_file = ${creds}\ns3_part_size = 5M\n`;
    const conf = writeConfig(
      `[${ds}]\ndest = s3://${bucket}/a\n\n[${ds2}]\ndest = s3://${bucket}/b\n\n` +
        `[s3://${bucket}/a]\n${s3}encrypt = yes\nencryption_key_file = ${keyFile}\n\n[s3://${bucket}/b]\n${s3}encrypt = yes\nencryption_key_env = HF_TEST_KEY\n`,
    );
    // An AWS session token in the environment too: holdfast needs none, no child may inherit it.
    const token = randomBytes(24).toString('hex');
    const env = {
      ...process.env,
      TZ: 'UTC',
      HF_TEST_KEY: envKey.toString('hex'),
      AWS_SESSION_TOKEN: token,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const locks = lockDir();
    const secrets = [
      sw.secretAccessKey,
      key.toString('hex'),
      key.toString('base64'),
      envKey.toString('hex'),
      envKey.toString('base64'),
      token,
    ];
    const leaks = (text: string): string[] => secrets.filter((s) => text.includes(s));

    // A real upload of both stores, with ps sampled every 20 ms while it runs.
    const child = spawn(process.execPath, [BIN, '--config', conf, '--lock-dir', locks, '-v', 'send'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const closed = new Promise<number>((r) => child.on('close', (code) => r(code ?? 1)));
    const samples: string[] = [];
    let done = false;
    void closed.then(() => (done = true));
    while (!done) {
      samples.push(...(await treeArgs(child.pid!)));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await closed, out).toBe(0);
    expect(
      samples.some((a) => a.startsWith('zfs send')),
      'ps saw the pipeline',
    ).toBe(true);
    expect(
      samples.some((a) => a.startsWith('zstd')),
      'ps saw the compressor',
    ).toBe(true);
    expect(
      samples.some((a) => a.startsWith('zstd') && a.includes('\nPATH=')),
      "/proc showed the compressor's environment",
    ).toBe(true);
    expect(leaks(samples.join('\n'))).toEqual([]);
    expect(leaks(out)).toEqual([]);
    expect(out).toMatch(/uploaded .*sec@/);

    // Every other way holdfast prints: dry runs, JSON, JSON logs, status, verify, restore.
    await zfs('snapshot', `${ds}@${SNAP(2)}`);
    const runs = [
      ['--dry-run', 'send'],
      ['--dry-run', '--json', 'send'],
      ['--log-json', '-v', 'send'],
      ['status', `s3://${bucket}/a`, '--explain'],
      ['--json', 'status', `s3://${bucket}/b`],
      ['verify', `s3://${bucket}/a`],
      ['-v', '--dry-run', 'restore', `s3://${bucket}/a`, `${ds}@${SNAP(2)}`, '--to', `${pool.name}/back`],
      ['-v', 'restore', `s3://${bucket}/b`, `${ds2}@${SNAP(1)}`, '--to', `${pool.name}/back2`],
      ['check'],
    ];
    for (const args of runs) {
      const r = await run([process.execPath, BIN, '--config', conf, '--lock-dir', locks, ...args], { env });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(leaks(r.stdout + r.stderr), args.join(' ')).toEqual([]);
    }
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HOLD_BACK, VerifyStream } from '../../src/adapters/store/verify-stream.js';
import { receiveSink, sendSource } from '../../src/adapters/store/zfs-pipe.js';
import { feed } from '../../src/app/store/stream.js';

const sh = (script: string, name = script) => ({ argv: ['sh', '-c', script], name });
const drain = async (r: Readable): Promise<Buffer> => Buffer.concat(await r.toArray());

describe('the send side: zfs send | compressor, read by the store', () => {
  it('ends only when every stage exited 0; counts the raw bytes', async () => {
    const s = sendSource(sh('head -c 300000 /dev/zero'), { argv: ['gzip', '-c', '-1'], name: 'gzip' });
    const out = await drain(s.stream);
    expect(s.rawBytes()).toBe(300000);
    expect(out.length).toBeLessThan(10000);
  });

  it('a failing zfs send fails the stream (never a clean, truncated end), naming the stage', async () => {
    const s = sendSource(sh('head -c 100000 /dev/urandom; echo "cannot send: I/O error" >&2; exit 1', 'zfs send tank/a@s1'), {
      argv: ['gzip', '-c'],
      name: 'gzip -c',
    });
    await expect(drain(s.stream)).rejects.toThrow(/^zfs send tank\/a@s1 exited 1: cannot send: I\/O error$/);
  });

  it('a reader that gives up kills the stages', async () => {
    const s = sendSource(sh('exec cat /dev/zero', 'zfs send big'));
    for await (const _ of s.stream) break; // destroys the stream
    await new Promise((r) => setTimeout(r, 200));
    await expect(drain(s.stream)).rejects.toBeDefined();
  });
});

describe('the restore side: verify | decompress | zfs receive', () => {
  it('verifies, holds the tail back until the checksum matches, and delivers everything', async () => {
    const data = randomBytes(3 * HOLD_BACK + 123);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const v = new VerifyStream({ bytes: data.length, sha256 }, 's3://b/k');
    expect((await drain(Readable.from([data.subarray(0, 100000), data.subarray(100000)]).pipe(v))).equals(data)).toBe(true);
  });

  it('a mismatch fails the stream and the last HOLD_BACK bytes never go downstream', async () => {
    const data = randomBytes(3 * HOLD_BACK);
    const v = new VerifyStream({ bytes: data.length, sha256: 'f'.repeat(64) }, 's3://b/streams/x');
    let seen = 0;
    v.on('data', (c: Buffer) => (seen += c.length));
    const done = new Promise((resolve) => v.on('error', resolve));
    for (let off = 0; off < data.length; off += 65536) v.write(data.subarray(off, off + 65536));
    v.end();
    expect(String(await done)).toMatch(
      /^StoreIntegrityError: s3:\/\/b\/streams\/x: corrupt: the stored bytes have sha256 [0-9a-f]{64}, the manifest records f{64}$/,
    );
    expect(seen).toBeLessThanOrEqual(data.length - HOLD_BACK);
  });

  it('feeds a decompressor that writes straight into the receiver; a dead receiver fails at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-pipe-'));
    const data = randomBytes(500000);
    const sink = receiveSink(sh(`cat > ${join(dir, 'out')}`, 'zfs receive t'), { argv: ['gzip', '-d', '-c'], name: 'gzip -d' });
    const { gzipSync } = await import('node:zlib');
    await feed(Readable.from([gzipSync(data)]), sink);
    expect(readFileSync(join(dir, 'out')).equals(data)).toBe(true);
    const dead = receiveSink(sh('exit 3', 'zfs receive t'));
    await expect(feed(Readable.from([randomBytes(4 << 20)]), dead)).rejects.toThrow(/^zfs receive t exited 3$/);
  });
});

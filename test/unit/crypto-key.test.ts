import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { EncryptionKey, KeyLoadError, keyIdOf, loadKey } from '../../src/adapters/crypto/index.js';

const dir = await mkdtemp(join(tmpdir(), 'holdfast-key-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function keyFile(name: string, content: string | Buffer, mode = 0o600): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

describe('key loading', () => {
  const bytes = randomBytes(32);

  it('reads hex, base64 and raw key files of mode 0600 (or 0400)', async () => {
    for (const [name, content, mode] of [
      ['hex', bytes.toString('hex') + '\n', 0o600],
      ['b64', bytes.toString('base64') + '\n', 0o400],
      ['raw', bytes, 0o600],
    ] as const) {
      const key = await loadKey({ file: await keyFile(name, content, mode) });
      expect(key.bytes().equals(bytes), name).toBe(true);
      expect(key.id).toBe(keyIdOf(bytes));
    }
  });

  it('refuses a key file readable by group or others, naming the fix', async () => {
    const path = await keyFile('open', bytes.toString('hex'), 0o644);
    const err = await loadKey({ file: path }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyLoadError);
    expect(String(err)).toBe(`KeyLoadError: ${path}: key file has mode 0644, readable by group or others; run: chmod 600 ${path}`);
  });

  it('refuses a passphrase, a short key and a symlink; says what a key looks like', async () => {
    const pass = await keyFile('pass', 'correct horse battery staple 123');
    await expect(loadKey({ file: pass })).rejects.toThrow(/openssl rand -hex 32/);
    await expect(loadKey({ file: await keyFile('short', 'abcd') })).rejects.toThrow(KeyLoadError);
    const { symlink } = await import('node:fs/promises');
    await symlink(join(dir, 'hex'), join(dir, 'link'));
    await expect(loadKey({ file: join(dir, 'link') })).rejects.toThrow(/ELOOP/);
    await expect(loadKey({ file: join(dir, 'missing') })).rejects.toThrow(/ENOENT/);
  });

  it('reads a key from a named environment variable', async () => {
    const key = await loadKey({ env: 'HF_TEST_KEY' }, { HF_TEST_KEY: bytes.toString('base64') });
    expect(key.id).toBe(keyIdOf(bytes));
    await expect(loadKey({ env: 'HF_TEST_KEY' }, {})).rejects.toThrow('environment variable HF_TEST_KEY is not set');
    await expect(loadKey({ env: 'HF_TEST_KEY' }, { HF_TEST_KEY: 'hunter2' })).rejects.toThrow(/^\$HF_TEST_KEY: not a key/);
  });

  it('never shows key bytes in inspect, JSON or String', () => {
    const key = new EncryptionKey(bytes);
    const shown = [inspect(key), JSON.stringify({ key }), String(key), inspect({ nested: { key } })].join(' ');
    expect(shown).toContain(key.id);
    expect(shown).not.toContain(bytes.toString('hex'));
    expect(shown).not.toContain(bytes.toString('base64'));
    expect(key.id).toMatch(/^[0-9a-f]{16}$/);
  });
});

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseKeyMaterial } from '../../src/adapters/crypto/index.js';
import { encrypt } from './crypto-fixtures.js';

// The emergency scripts in docs/encryption-format.md must decrypt what the code produces.
const doc = await readFile(new URL('../../docs/encryption-format.md', import.meta.url), 'utf8');
const dir = await mkdtemp(join(tmpdir(), 'holdfast-recipe-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

function script(marker: string): string {
  const m = new RegExp(`<!-- ${marker.replace('.', '\\.')} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\`\`\`\\n<!-- end -->`).exec(doc);
  if (!m?.[1]) throw new Error(`no ${marker} block in docs/encryption-format.md`);
  return m[1];
}

const hasCryptography = spawnSync('/usr/bin/python3', ['-c', 'import cryptography']).status === 0;

describe('documented emergency decryption', async () => {
  const keyText = randomBytes(32).toString('hex') + '\n';
  const key = parseKeyMaterial(Buffer.from(keyText), 'test');
  const keyPath = join(dir, 'key');
  await writeFile(keyPath, keyText, { mode: 0o600 });
  const cases = [0, 1024, 3 * 1024 + 5, 200_000];

  it('node script decrypts files made by EncryptStream', async () => {
    const path = join(dir, 'emergency-decrypt.mjs');
    await writeFile(path, script('emergency-decrypt.mjs'));
    for (const n of cases) {
      const plain = randomBytes(n);
      await writeFile(join(dir, 'in.enc'), await encrypt(plain, key));
      execFileSync(process.execPath, [path, keyPath, join(dir, 'in.enc'), join(dir, 'out')]);
      expect((await readFile(join(dir, 'out'))).equals(plain), `${n} bytes`).toBe(true);
    }
  });

  it('python3 script decrypts files made by EncryptStream', async () => {
    expect(hasCryptography, 'python3-cryptography is not installed; run scripts/setup.sh').toBe(true);
    const path = join(dir, 'emergency-decrypt.py');
    await writeFile(path, script('emergency-decrypt.py'));
    for (const n of cases) {
      const plain = randomBytes(n);
      const out = execFileSync('/usr/bin/python3', [path, keyPath], { input: await encrypt(plain, key), maxBuffer: 1 << 26 });
      expect(out.equals(plain), `${n} bytes`).toBe(true);
    }
  });

  it('both scripts fail on a truncated stream', async () => {
    const sealed = await encrypt(randomBytes(5000), key);
    const cut = sealed.subarray(0, 56 + 1040);
    await writeFile(join(dir, 'cut.enc'), cut);
    const node = spawnSync(process.execPath, [join(dir, 'emergency-decrypt.mjs'), keyPath, join(dir, 'cut.enc'), join(dir, 'o')]);
    expect(node.status).not.toBe(0);
    const py = spawnSync('/usr/bin/python3', [join(dir, 'emergency-decrypt.py'), keyPath], { input: cut });
    expect(py.status).not.toBe(0);
  });
});

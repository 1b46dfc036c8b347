import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { KeyLoadError } from './errors.js';
import { readSecretFile } from './secret-file.js';
import { markSecretEnv } from '../exec/child-env.js';

export const KEY_BYTES = 32;

// Why: holds the 32 key bytes so that logging, JSON.stringify or util.inspect of it can only
// ever show the key id, never the key.
export class EncryptionKey {
  readonly #bytes: Buffer;
  // First 8 bytes of SHA-256(key), hex: names the key in headers, manifests and errors.
  readonly id: string;

  constructor(bytes: Uint8Array) {
    if (bytes.length !== KEY_BYTES) throw new KeyLoadError(`a key must be ${KEY_BYTES} bytes, not ${bytes.length}`);
    this.#bytes = Buffer.from(bytes);
    this.id = keyIdOf(this.#bytes);
  }

  // The raw key, for the cipher code only.
  bytes(): Buffer {
    return this.#bytes;
  }

  toJSON(): { keyId: string } {
    return { keyId: this.id };
  }

  toString(): string {
    return `EncryptionKey(${this.id})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

// Why: the documented key id rule (docs/encryption-format.md), shared by header and manifest.
export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update(key).digest().subarray(0, 8).toString('hex');
}

// Why: accept the encodings people produce with `openssl rand -hex 32`, `openssl rand -base64 32`
// or `head -c 32 /dev/urandom`; refuse a short passphrase instead of silently using it as a key.
export function parseKeyMaterial(data: Buffer, where: string): EncryptionKey {
  const text = data.toString('latin1').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return new EncryptionKey(Buffer.from(text, 'hex'));
  if (/^[A-Za-z0-9+/]{43}=$/.test(text)) return new EncryptionKey(Buffer.from(text, 'base64'));
  if (data.length === KEY_BYTES && !/^[\x20-\x7e]*$/.test(data.toString('latin1'))) return new EncryptionKey(data);
  throw new KeyLoadError(
    `${where}: not a key: expected 64 hex digits, 44 base64 characters or 32 raw bytes (got ${data.length} bytes); ` +
      'make one with: openssl rand -hex 32',
  );
}

// Where the key comes from: a file (mode 0600) or the name of an environment variable. Never argv.
export type KeySource = { file: string } | { env: string };

// Why: the one entry point the CLI uses to get a key; errors name the source, never the content.
export async function loadKey(source: KeySource, env: NodeJS.ProcessEnv = process.env): Promise<EncryptionKey> {
  if ('file' in source) return parseKeyMaterial(await readSecretFile(source.file, 'key file'), source.file);
  markSecretEnv(source.env); // never handed on to zfs, ssh or a compressor
  const value = env[source.env];
  if (value === undefined || value === '') throw new KeyLoadError(`environment variable ${source.env} is not set`);
  return parseKeyMaterial(Buffer.from(value, 'latin1'), `$${source.env}`);
}

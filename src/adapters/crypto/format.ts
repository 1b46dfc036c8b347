import { hkdfSync, randomBytes } from 'node:crypto';
import { EncryptedFormatError } from './errors.js';

// The byte format, documented for humans in docs/encryption-format.md. Change both together.
export const MAGIC = Buffer.from('HFCRYPT', 'latin1'); // 7 bytes
export const VERSION = 1;
export const ALG_AES256GCM_HKDF = 1;
export const HEADER_BYTES = 56;
export const TAG_BYTES = 16;
export const SALT_BYTES = 32;
export const MIN_SEGMENT = 1024;
export const MAX_SEGMENT = 16 * 1024 * 1024;
export const DEFAULT_SEGMENT = 64 * 1024;
export const HKDF_INFO = Buffer.from('holdfast encryption v1', 'latin1');

// The fields of a parsed header.
export interface StreamHeader {
  segmentSize: number;
  keyId: string; // 16 hex digits
  salt: Buffer;
  raw: Buffer; // the 56 header bytes, part of every segment's AAD
}

// Why: one place that lays out the 56 header bytes.
export function encodeHeader(segmentSize: number, keyId: string, salt: Buffer = randomBytes(SALT_BYTES)): StreamHeader {
  checkSegmentSize(segmentSize);
  const raw = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(raw, 0);
  raw[7] = VERSION;
  raw[8] = ALG_AES256GCM_HKDF;
  raw.writeUInt32BE(segmentSize, 12);
  Buffer.from(keyId, 'hex').copy(raw, 16);
  salt.copy(raw, 24);
  return { segmentSize, keyId, salt, raw };
}

// Why: refuse anything but a v1 header before any key is derived or any plaintext released.
export function decodeHeader(raw: Buffer): StreamHeader {
  if (!raw.subarray(0, 7).equals(MAGIC)) throw new EncryptedFormatError('not a holdfast encrypted stream (bad magic)');
  if (raw[7] !== VERSION) throw new EncryptedFormatError(`unsupported encryption format version ${raw[7]}`);
  if (raw[8] !== ALG_AES256GCM_HKDF) throw new EncryptedFormatError(`unsupported encryption algorithm ${raw[8]}`);
  if (raw[9] !== 0 || raw[10] !== 0 || raw[11] !== 0) throw new EncryptedFormatError('reserved header bytes are not zero');
  const segmentSize = raw.readUInt32BE(12);
  checkSegmentSize(segmentSize);
  return { segmentSize, keyId: raw.subarray(16, 24).toString('hex'), salt: raw.subarray(24, 56), raw };
}

function checkSegmentSize(size: number): void {
  if (!Number.isInteger(size) || size < MIN_SEGMENT || size > MAX_SEGMENT) {
    throw new EncryptedFormatError(`segment size ${size} is outside ${MIN_SEGMENT}..${MAX_SEGMENT}`);
  }
}

// Why: a fresh per-stream key, so counter nonces never repeat under one AES key across streams.
export function deriveStreamKey(key: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, salt, HKDF_INFO, 32));
}

// nonce_i = 4 zero bytes || uint64 big-endian segment index.
export function segmentNonce(index: number): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeBigUInt64BE(BigInt(index), 4);
  return nonce;
}

// aad_i = the 56 header bytes || 0x01 for the final segment, 0x00 otherwise.
export function segmentAad(header: Buffer, final: boolean): Buffer {
  return Buffer.concat([header, Buffer.from([final ? 1 : 0])]);
}

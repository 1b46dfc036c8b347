// The crypto adapter's public surface: streaming AES-256-GCM segments (docs/encryption-format.md).
export { EncryptStream, type EncryptOptions } from './encrypt-stream.js';
export { DecryptStream } from './decrypt-stream.js';
export { EncryptionKey, keyIdOf, loadKey, parseKeyMaterial, type KeySource } from './key.js';
export { readSecretFile } from './secret-file.js';
export { DEFAULT_SEGMENT, HEADER_BYTES, TAG_BYTES } from './format.js';
export { CryptoError, EncryptedFormatError, IntegrityError, KeyLoadError, KeyMismatchError } from './errors.js';

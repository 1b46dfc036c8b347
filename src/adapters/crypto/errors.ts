import { HoldfastError } from '../../domain/errors.js';

// Typed, one-line errors of the crypto adapter. Messages never contain key material.

// Why: one base so callers can catch "anything the crypto layer refused".
export class CryptoError extends HoldfastError {
  override name = 'CryptoError';
}

// Why: the key could not be loaded (file mode too open, wrong owner, missing env var, bad encoding).
export class KeyLoadError extends CryptoError {
  override name = 'KeyLoadError';
}

// Why: the input is not a holdfast encrypted stream, or a version/algorithm this code does not know.
export class EncryptedFormatError extends CryptoError {
  override name = 'EncryptedFormatError';
}

// Why: the stream names a different key id than the key we were given: say which, decrypt nothing.
export class KeyMismatchError extends CryptoError {
  override name = 'KeyMismatchError';
  constructor(
    readonly streamKeyId: string,
    readonly givenKeyId: string,
  ) {
    super(`the stream was encrypted with key id ${streamKeyId}, but the key given has id ${givenKeyId}`);
  }
}

// Why: a segment failed authentication or the stream ended early: corrupted, reordered, truncated,
// or a wrong key whose id collides. Data before the failing segment was authentic.
export class IntegrityError extends CryptoError {
  override name = 'IntegrityError';
}

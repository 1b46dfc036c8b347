import { keyFileProblem } from '../config/load.js';
import { SEND_COMPRESSOR_NAMES, isSendCompressor } from '../domain/replication/compressors.js';
import { UsageError } from './exit-codes.js';

// Flags that name things the run needs are checked before anything runs: a usage error (exit 2)
// naming the flag. In the policy file the same mistakes are config problems at their line.

// An ssh key (-i, -j, -k). ssh skips a missing one silently, tries other keys and fails with
// "Permission denied (publickey)", which does not say which file was wrong.
export function checkKeyFlag(flag: string, path: string | undefined, prefix = ''): void {
  if (path === undefined) return;
  const p = keyFileProblem(path);
  if (p)
    throw new UsageError(
      `${prefix}${flag} ${path}: ${p === 'missing' ? 'no such file' : 'is a directory'}; give the path of an ssh private key`,
    );
}

// A stream compressor (-c). The file's compress stays a warning (pyznap sent uncompressed);
// a flag typed now can be fixed now.
export function checkCompressFlag(flag: string, name: string | undefined, prefix = ''): void {
  if (name === undefined || isSendCompressor(name.toLowerCase())) return;
  throw new UsageError(`${prefix}${flag} "${name}" is not a compressor; write one of ${SEND_COMPRESSOR_NAMES.join(', ')}`);
}

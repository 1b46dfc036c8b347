import { StoreError, StoreNotFoundError } from './errors.js';

// Why: a file:// store failed on the filesystem (no space, permission, read-only, I/O error).
export class FileStoreError extends StoreError {
  override name = 'FileStoreError';
}

// errno -> what to tell the user; anything else is reported with its code.
const FS_REASONS: [RegExp, string][] = [
  [/^ENOSPC$|^EDQUOT$/, 'no space left on the target'],
  [/^EACCES$|^EPERM$/, 'permission denied'],
  [/^EROFS$/, 'the target is read-only'],
  [/^EIO$/, 'I/O error'],
];

// Why: turns an fs errno into one typed line naming the store and the operation.
export function mapFsError(err: unknown, url: string, op: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (code === 'ENOENT') return new StoreNotFoundError(`${url}: ${op}: not found`, { cause: err });
  const reason = FS_REASONS.find(([re]) => re.test(code))?.[1] ?? (err instanceof Error ? err.message : String(err));
  return new FileStoreError(`${url}: ${op}: ${reason}${code ? ` (${code})` : ''}`, { cause: err });
}

import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { KeyLoadError } from './errors.js';

// Why: key files and S3 credentials files must be private to their owner (like ssh's keys);
// the check runs on the opened descriptor, so the file cannot be swapped between check and read.
export async function readSecretFile(path: string, what = 'secret file'): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new KeyLoadError(`${path}: cannot open ${what} (${code})`, { cause: err });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new KeyLoadError(`${path}: ${what} is not a regular file`);
    const mode = st.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      const octal = mode.toString(8).padStart(4, '0');
      throw new KeyLoadError(`${path}: ${what} has mode ${octal}, readable by group or others; run: chmod 600 ${path}`);
    }
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid && st.uid !== 0) {
      throw new KeyLoadError(`${path}: ${what} is owned by uid ${st.uid}, not by this user (uid ${uid}) or root`);
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

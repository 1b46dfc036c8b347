import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parsePolicyText } from './parse.js';
import { ConfigFileError } from './errors.js';
import type { PolicyFile } from './policy-file.js';
import type { KeyFileProblem } from './rules/key-files.js';

export { ConfigFileError } from './errors.js';

// Read and parse a policy file; the only I/O in config/.
export async function loadPolicyFile(path: string): Promise<PolicyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file; create one with `holdfast setup`, or point --config at your pyznap.conf'
        : code === 'EACCES'
          ? 'permission denied; run as root or fix the file mode'
          : code === 'EISDIR'
            ? 'is a directory; --config takes a file'
            : String((e as Error).message);
    throw new ConfigFileError(path, why);
  }
  return parsePolicyText(text, path, { keyFileProblem });
}

// A key file as ssh will open it (~ is the home directory, as ssh -i reads it). A file this
// user may not read is left to ssh, which says so itself.
export const keyFileProblem: KeyFileProblem = (path) => {
  const full = path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
  try {
    return statSync(full).isDirectory() ? 'directory' : undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : undefined;
  }
};

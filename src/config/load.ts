import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parseFile, parsePolicyText } from './parse.js';
import { ConfigFileError } from './errors.js';
import type { ParsedFile } from './parsed.js';
import type { PolicyFile } from './policy-file.js';
import type { KeyFileProblem } from './rules/key-files.js';

export { ConfigFileError } from './errors.js';

// Read, parse and normalize a policy file; with readParsed, the only I/O in config/.
export async function loadPolicyFile(path: string): Promise<PolicyFile> {
  return parsePolicyText(await readText(path), path, { keyFileProblem });
}

// The file as parsed, before normalization (config/check.ts lists every key's value).
export async function readParsed(path: string): Promise<ParsedFile> {
  return parseFile(await readText(path), path, { keyFileProblem });
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
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

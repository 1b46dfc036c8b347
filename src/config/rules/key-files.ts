import { type ConfigIssue, clip } from '../issue.js';
import type { ParsedSection } from '../parsed.js';

// What is wrong with a key file on this machine, if anything (load.ts looks at the disk).
export type KeyFileProblem = (path: string) => 'missing' | 'directory' | undefined;

// An ssh key the file names must exist. pyznap dropped a missing one silently, and ssh then
// tried other keys and failed with "Permission denied (publickey)", far from the typo.
export function checkKeyFiles(s: ParsedSection, file: string, problem: KeyFileProblem): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const key of ['key', 'dest_keys'] as const) {
    const v = s.values[key];
    if (!v) continue;
    const paths = (typeof v.value === 'string' ? [v.value] : v.value).filter((p) => p !== '');
    for (const path of paths) {
      const p = problem(path);
      if (!p) continue;
      const shown = clip(path, 120);
      const message =
        p === 'missing'
          ? `${shown} does not exist; correct the path, or create the key: ssh-keygen -t ed25519 -f ${shown}`
          : `${shown} is a directory, not a key file; correct the path`;
      out.push({ severity: 'error', file, line: v.line, section: s.name, key, message });
    }
  }
  return out;
}

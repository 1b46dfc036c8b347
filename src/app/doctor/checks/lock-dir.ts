import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DoctorCheck } from '../finding.js';

// Runs take a flock(1) on a file in the lock directory, which they create when it is missing
// (/run is emptied at boot): the directory, or its nearest existing parent, must be writable.
export const lockDirCheck: DoctorCheck = async (d) => {
  const rows = [];
  let dir = d.lockDir;
  while (!exists(dir) && dirname(dir) !== dir) dir = dirname(dir);
  const creates = dir !== d.lockDir;
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.W_OK | constants.X_OK);
    rows.push({
      check: 'lock',
      where: d.lockDir,
      status: 'ok' as const,
      detail: creates ? `missing; runs create it (${dir} is writable)` : 'writable',
    });
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'EACCES' ? 'not writable' : (e as Error).message;
    rows.push({
      check: 'lock',
      where: d.lockDir,
      status: 'fail' as const,
      detail: `${creates ? `cannot be created: ${dir} is ` : ''}${why}`,
      fix: d.uid === 0 ? `mkdir -p ${d.lockDir}, or --lock-dir DIR` : `run holdfast as root, or --lock-dir DIR (a directory you can write)`,
    });
  }
  if (!d.which('flock'))
    rows.push({
      check: 'lock',
      where: 'flock',
      status: 'fail' as const,
      detail: 'flock(1) is not on PATH; runs cannot take their lock',
      fix: 'apt install util-linux',
    });
  return rows;
};

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

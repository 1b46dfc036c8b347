import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HoldfastError } from '../../domain/errors.js';

// A textfile that cannot be written (missing directory, permissions): the run itself went fine.
export class TextfileError extends HoldfastError {
  override name = 'TextfileError';
}

// node_exporter reads *.prom files at any moment, so a reader must see the old file or the new
// one, never half of one: write a temporary file in the same directory (same file system;
// no .prom suffix, so the collector skips it), fsync it, then rename it over the target.
export function writeTextfileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw new TextfileError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

// The previous file's text, or '' when there is none (first run) or it cannot be read.
export function readTextfile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

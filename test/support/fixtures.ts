import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// A captured zfs call (test/lab/README.md): the command, its exit code and both outputs,
// from real zfs-fuse or real OpenZFS 2.1.
export interface Fixture {
  readonly command: string;
  readonly exit: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type Flavour = 'openzfs' | 'zfs-fuse';
export const FLAVOURS: readonly Flavour[] = ['openzfs', 'zfs-fuse'];

export function fixture(flavour: Flavour, name: string): Fixture {
  const text = readFileSync(resolve(import.meta.dirname, '../fixtures', flavour, `${name}.txt`), 'utf8');
  const lines = text.split('\n');
  const iOut = lines.indexOf('# stdout');
  const iErr = lines.indexOf('# stderr', iOut + 1);
  const header = lines.slice(0, iOut);
  const value = (k: string) => header.find((l) => l.startsWith(`# ${k}: `))?.slice(k.length + 4) ?? '';
  return {
    command: value('command'),
    exit: Number(value('exit')),
    stdout: lines.slice(iOut + 1, iErr).join('\n'),
    stderr: lines.slice(iErr + 1).join('\n'),
  };
}

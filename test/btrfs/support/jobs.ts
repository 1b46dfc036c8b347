import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BtrfsFs } from '../../helpers/btrfs-lab.js';
import { holdfast, lockDir, writeConfig } from '../../helpers/cli.js';
import type { Ran } from '../../helpers/run.js';

// A name with every character a path must survive: space, quote, $, ;.
export const ODD = "it's $HOME; x";

// One [backup:NAME] job on a lab filesystem: its source (outside the btrfs), its backups
// directory (inside), its config file and lock directory, and a runner for the CLI.
export interface Job {
  readonly name: string;
  readonly src: string;
  readonly backups: string;
  readonly conf: string;
  readonly locks: string;
  hf(args: readonly string[], faketime?: string): Promise<Ran>;
  rewrite(extra: string, source?: string): void;
}

export function makeJob(fs: BtrfsFs, name: string, extra = '', source?: string): Job {
  const src = join(fs.dir, `src ${name} ${ODD}`);
  const backups = join(fs.mnt, `backups ${ODD}`, name);
  mkdirSync(src, { recursive: true });
  const locks = lockDir();
  const text = (x: string, s?: string): string => `[backup:${name}]\nsource = ${s ?? src}\nbackups = ${backups}\ntimezone = UTC\n${x}\n`;
  const conf = writeConfig(text(extra, source));
  return {
    name,
    src,
    backups,
    conf,
    locks,
    hf: (args, faketime) => holdfast(['--config', conf, '--lock-dir', locks, ...args], faketime ? { faketime } : {}),
    rewrite: (x, s) => writeFileSync(conf, text(x, s)),
  };
}

// Backups named by chosen instants, made straight from the working copy (a simulated history):
// one bash loop, so hundreds take seconds, oldest first (creation order follows the names).
export function namesAt(times: readonly number[]): string[] {
  return times.map((t) => new Date(t).toISOString().replace(/\.\d{3}Z$/, '+00:00'));
}

import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, LIBFAKETIME } from '../helpers/cli.js';
import { must, run } from '../helpers/run.js';
import { zfs } from '../helpers/zfs-lab.js';

// Shared by the send test files (zfs-fuse lane): tree comparison, data, background runs, shims.

// Dataset and snapshot names under a root, with the root's name stripped (pyznap's comparison).
export async function treeOf(root: string): Promise<string[]> {
  const r = await run(['zfs', 'list', '-H', '-o', 'name', '-t', 'all', '-r', root]);
  if (r.code !== 0) return [];
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((n) => n.slice(root.length) || '/')
    .sort();
}

// Write `mib` MiB of random data into a dataset through its mountpoint.
export async function fill(dataset: string, mib: number, file = 'data'): Promise<void> {
  const [mp, mounted] = (await zfs('get', '-H', '-o', 'value', 'mountpoint,mounted', dataset)).trim().split('\n');
  if (mounted !== 'yes') await zfs('mount', dataset); // zfs-fuse unmounts a source now and then
  await must(['dd', 'if=/dev/urandom', `of=${join(mp!, file)}`, 'bs=1M', `count=${mib}`, 'status=none']);
}

// Held snapshots (userrefs > 0) under a root, names relative to it.
export async function held(root: string): Promise<string[]> {
  const out = await zfs('get', '-Hp', '-r', '-o', 'name,value', 'userrefs', root);
  return out
    .split('\n')
    .filter((l) => l.includes('@') && Number(l.split('\t')[1]) > 0)
    .map((l) => l.split('\t')[0]!.slice(root.length))
    .sort();
}

export interface Background {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

// The built CLI in the background, to be killed or raced against.
export function holdfastBg(args: readonly string[], env: NodeJS.ProcessEnv = {}): Background {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export async function waitFor(what: string, pred: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!(await pred())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Processes of `program` (argv[0], or the script a shell runs) whose command line contains all
// of `parts` (this machine's /proc). An ssh client naming the same words does not count.
export function pidsOf(program: string, ...parts: string[]): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      const head = /(^|\/)(sh|dash|bash)$/.test(argv[0] ?? '') ? argv[1] : argv[0];
      const cmd = argv.join(' ');
      if ((head === program || head?.endsWith(`/${program}`)) && parts.every((x) => cmd.includes(x))) out.push(Number(p));
    } catch {
      // gone
    }
  }
  return out;
}

// A directory put first on PATH (the remote sessions' via startSshd({ path }), or holdfast's
// own), holding an \`lzop\` that is slowed down, or corrupts what it decompresses, on demand.
export function shimDir(): { dir: string; path: string; mode(m: 'normal' | 'slow' | 'corrupt'): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hf-shim-'));
  const script = `#!/bin/sh
# test shim: lzop, slowed or corrupted when decompressing, by the mode file beside it
mode=$(cat "${dir}/mode" 2>/dev/null)
case "$mode:$*" in
  slow:*) pv -q -L 3m | /usr/bin/lzop "$@" ;;
  corrupt:*-d*) /usr/bin/lzop "$@" | perl -0777 -pe 'substr($_, int(length($_) / 2), 16) = "\\xff" x 16' ;;
  *) exec /usr/bin/lzop "$@" ;;
esac
`;
  writeFileSync(join(dir, 'lzop'), script);
  chmodSync(join(dir, 'lzop'), 0o755);
  return {
    dir,
    path: `${dir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    mode: (m) => writeFileSync(join(dir, 'mode'), m),
  };
}

export { LIBFAKETIME };

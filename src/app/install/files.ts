import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ScheduledFile } from './schedule-files.js';

// What installing one file means, decided before anything is written. update: an older
// holdfast generated the file there (a man page, a completion script).
export type FileAction = 'create' | 'unchanged' | 'keep' | 'replace' | 'update';

export interface PlannedWrite extends ScheduledFile {
  readonly target: string; // the path written: `path` under the root
  readonly action: FileAction; // keep: exists and differs, and --force was not given
}

// Plan: compare each file with what is installed (under `root`, "/" normally).
export async function planInstall(files: readonly ScheduledFile[], root: string, force: boolean): Promise<PlannedWrite[]> {
  return Promise.all(
    files.map(async (f) => {
      const target = root === '/' ? f.path : join(root, f.path);
      const now = await readFile(target, 'utf8').catch(() => undefined);
      const action: FileAction =
        now === undefined ? 'create' : now === f.content ? 'unchanged' : f.generated?.test(now) ? 'update' : force ? 'replace' : 'keep';
      return { ...f, target, action };
    }),
  );
}

// Execute: write what the plan says (atomically: a temporary file, then rename).
export async function executeInstall(plan: readonly PlannedWrite[]): Promise<void> {
  for (const p of plan) {
    if (p.action !== 'create' && p.action !== 'replace' && p.action !== 'update') continue;
    await mkdir(dirname(p.target), { recursive: true, mode: 0o755 });
    const tmp = `${p.target}.holdfast-new`;
    await writeFile(tmp, p.content, { mode: p.mode });
    await chmod(tmp, p.mode);
    await rename(tmp, p.target);
  }
}

// How each planned file is announced, with its content so the user sees what is written.
export function describeWrite(p: PlannedWrite, dryRun: boolean): string {
  const mode = p.mode.toString(8).padStart(4, '0');
  const head = {
    create: `${dryRun ? 'would write' : 'wrote'} ${p.target} (mode ${mode})`,
    replace: `${dryRun ? 'would replace' : 'replaced'} ${p.target} (mode ${mode}; it differed, --force given)`,
    update: `${dryRun ? 'would update' : 'updated'} ${p.target} (mode ${mode}; an older holdfast wrote it)`,
    unchanged: `${p.target} is already installed, identical; left as it is`,
    keep: `${p.target} exists and differs; NOT overwritten (--force replaces it)${p.quiet ? '' : '. holdfast would write:'}`,
  }[p.action];
  const body =
    p.action === 'unchanged' || p.quiet
      ? []
      : p.content
          .replace(/\n$/, '')
          .split('\n')
          .map((l) => `    ${l}`);
  return [head, ...body, ''].join('\n');
}

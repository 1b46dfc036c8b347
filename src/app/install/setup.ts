import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SAMPLE_CONFIG } from '../../config/sample.js';

// Create DIR (0755) and DIR/holdfast.conf (0644) unless they exist; say what was done.
export async function runSetup(dir: string, dryRun: boolean): Promise<string[]> {
  const said: string[] = [];
  const file = join(dir, 'holdfast.conf');
  if (await exists(dir)) said.push(`${dir} exists; left as it is`);
  else {
    if (!dryRun) {
      await mkdir(dir, { recursive: true, mode: 0o755 });
      await chmod(dir, 0o755);
    }
    said.push(`${dryRun ? 'would create' : 'created'} ${dir} (mode 0755)`);
  }
  if (await exists(file)) said.push(`${file} exists; not overwritten`);
  else {
    if (!dryRun) {
      await writeFile(file, SAMPLE_CONFIG, { mode: 0o644, flag: 'wx' });
      await chmod(file, 0o644);
    }
    said.push(`${dryRun ? 'would write' : 'wrote'} ${file} (mode 0644): a commented sample; edit it, then run \`holdfast check\``);
  }
  return said;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

import { describe, inject } from 'vitest';
import { type OpenZfsVm, vmExec } from '../helpers/openzfs-vm.js';

// What every file of the vm lane starts with: the VM globalSetup booted (or why it could not,
// said loudly, and the file's tests skipped), and a shell in it that throws on failure.
export function vmLane(what: string): { vm: OpenZfsVm | undefined; d: ReturnType<typeof describe.skipIf> } {
  const vmr = inject('openzfsVm');
  const vm = vmr.ok ? (vmr as OpenZfsVm) : undefined;
  if (!vm) process.stderr.write(`\n*** ${what} SKIPPED: ${vmr.ok ? '' : vmr.reason} ***\n\n`);
  return { vm, d: describe.skipIf(!vm) };
}

export async function sh(cmd: string): Promise<string> {
  const r = await vmExec(cmd, { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`${cmd}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

// Snapshot names of one dataset in creation order, with an optional prefix cut off.
export const snapsIn = async (ds: string, cut: RegExp = /^$/): Promise<string[]> =>
  (await sh(`zfs list -H -o name -t snapshot -s createtxg -d 1 ${ds}`)).split('\n').filter(Boolean).map((l) => l.split('@')[1]!.replace(cut, ''));

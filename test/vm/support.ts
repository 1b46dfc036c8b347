import { describe, inject } from 'vitest';
import { type OpenZfsVm, VM_SSH_OPTIONS, vmExec } from '../helpers/openzfs-vm.js';

// What every file of the vm lane starts with: the VM globalSetup booted it, or the file fails
// loudly with the reason (a lane that cannot start its component never passes or skips), and a
// shell in it that throws on failure.
export function vmLane(what: string): { vm: OpenZfsVm; d: typeof describe } {
  const vmr = inject('openzfsVm');
  if (!vmr.ok) throw new Error(`${what}: the OpenZFS VM did not start: ${vmr.reason}`);
  return { vm: vmr as OpenZfsVm, d: describe };
}

export async function sh(cmd: string): Promise<string> {
  const r = await vmExec(cmd, { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`${cmd}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

// Snapshot names of one dataset in creation order, with an optional prefix cut off.
export const snapsIn = async (ds: string, cut: RegExp = /^$/): Promise<string[]> =>
  (await sh(`zfs list -H -o name -t snapshot -s createtxg -d 1 ${ds}`))
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('@')[1]!.replace(cut, ''));

// The VM as two hosts to holdfast (127.0.0.1 and localhost): a send between them is relayed
// through this host like remote to remote; the flags reach both ends with the VM's key.
export function twoHosts(vm: OpenZfsVm): { A: (ds: string) => string; B: (ds: string) => string; flags: () => string[] } {
  return {
    A: (ds) => `ssh:${vm.port}:root@127.0.0.1:${ds}`,
    B: (ds) => `ssh:${vm.port}:root@localhost:${ds}`,
    flags: () => ['-j', vm.keyPath, '-k', vm.keyPath, ...VM_SSH_OPTIONS.flatMap((o) => ['-o', o])],
  };
}

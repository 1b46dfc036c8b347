import type { TestProject } from 'vitest/node';
import { type OpenZfsVmResult, startOpenZfsVm, stopOpenZfsVm } from './openzfs-vm.js';

// vitest globalSetup for the `vm` lane: boot the OpenZFS 2.1 VM once for every test file and
// stop it at the end. When it cannot boot, the lane says so loudly and every file of it fails
// with the reason (never reported as passed or skipped).
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const vm = await startOpenZfsVm();
  project.provide('openzfsVm', vm);
  if (!vm.ok) process.stderr.write(`\n*** OpenZFS VM lane FAILS: the VM did not start: ${vm.reason} ***\n\n`);
  else process.stderr.write(`OpenZFS VM ready on 127.0.0.1:${vm.port} (boot ${vm.bootSeconds.toFixed(0)} s)\n`);
  return async () => {
    if (vm.ok) await stopOpenZfsVm();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    openzfsVm: OpenZfsVmResult;
  }
}

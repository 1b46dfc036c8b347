import type { Step } from '../../domain/replication/types.js';
import type { ReplicationOps } from './ports.js';

// The single zfs commands of a plan (everything but transfers), as argv to print and as calls
// to run. Kept side by side so the printed plan is what runs.
export function stepArgv(step: Step, dest: string): string[][] {
  switch (step.kind) {
    case 'abort-resume':
      return [['zfs', 'receive', '-A', dest]];
    case 'create-parent':
      return [['zfs', 'create', '-p', step.dataset]];
    case 'destroy-dest':
      return step.snapshots.map((n) => ['zfs', 'destroy', `${dest}@${n}`]);
    default:
      return [];
  }
}

export async function runStep(step: Step, dest: string, ops: ReplicationOps, tag: string): Promise<void> {
  switch (step.kind) {
    case 'abort-resume':
      return ops.abortResume(dest);
    case 'create-parent':
      return ops.createParents(step.dataset);
    case 'destroy-dest': {
      const snaps = step.snapshots.map((n) => `${dest}@${n}`);
      await ops.release(tag, snaps); // our own old holds would block the destroy
      for (const s of snaps) await ops.destroy(s);
      return;
    }
    default:
      throw new Error(`internal: ${step.kind} is a transfer`);
  }
}

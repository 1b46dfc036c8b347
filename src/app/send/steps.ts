import type { Command, Step } from '../../domain/replication/types.js';
import type { ZfsSingle } from '../../domain/zfs-command.js';
import type { ReplicationOps, SendPorts } from './ports.js';

// The single zfs commands of a step (everything but transfers), in the order they run. The same
// data is printed (--dry-run, the report, the log) and run, so the two cannot differ.
export function stepCommands(step: Step, dest: string, tag: string): ZfsSingle[] {
  switch (step.kind) {
    case 'abort-resume':
      return [{ op: 'abort-receive', dataset: dest }];
    case 'create-parent':
      return [{ op: 'create-parents', dataset: step.dataset }];
    case 'destroy-dest':
      return [
        // Our own old holds would block the destroys (a snapshot without our tag is fine).
        { op: 'release', tag, snapshots: step.snapshots.map((n) => `${dest}@${n}`) },
        ...step.snapshots.map((n): ZfsSingle => ({ op: 'destroy', dataset: dest, names: [n], recursive: false })),
      ];
    default:
      return [];
  }
}

// A release is a batch: what it could not release, the destroy after it reports.
export async function runCommand(ops: ReplicationOps, c: ZfsSingle): Promise<void> {
  if (c.op === 'hold' || c.op === 'release') await ops.batch(c);
  else await ops.run(c);
}

// A command of a conflict report, printed on its host as it would run.
export const printCommand =
  (ports: Pick<SendPorts, 'replication'>) =>
  (c: Command): string =>
    ports.replication(c.endpoint).print(c.zfs);

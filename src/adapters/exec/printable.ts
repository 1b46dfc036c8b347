import type { Endpoint } from '../../domain/endpoint.js';
import { onHost } from '../../domain/host-zfs.js';
import { shellJoin } from './shell-quote.js';
import { SshConnections } from './ssh.js';

// How a command on a host reads when printed (--dry-run, plans, reports, messages).
export type Printable = (e: Endpoint, argv: readonly string[]) => string;

// A command as a user would type it: plain argv locally, `ssh [-i KEY] [-o …] [-p N] user@host '…'`
// remotely, with this run's key and options when it has them. The remote command is quoted by
// the same function as the one the runner sends over ssh.
// zfs is shown as the host starts it (zfs_path, elevate).
export function printable(
  e: Endpoint,
  argv: readonly string[],
  ssh: Pick<SshConnections, 'shown' | 'settings'> = new SshConnections(),
): string {
  const onIt = onHost(argv, ssh.settings.zfs?.(e));
  return e.kind === 'local' ? shellJoin(onIt) : shellJoin([...ssh.shown(e), shellJoin(onIt)]);
}

// This run's printer: its ssh settings, shown the way the run connects.
export function printer(ssh: Pick<SshConnections, 'shown' | 'settings'>): Printable {
  return (e, argv) => printable(e, argv, ssh);
}

import type { Endpoint } from '../../domain/endpoint.js';
import { shellJoin } from './shell-quote.js';
import { SshConnections } from './ssh.js';

// How a command on a host reads when printed (--dry-run, plans, reports, messages).
export type Printable = (e: Endpoint, argv: readonly string[]) => string;

// A command as a user would type it: plain argv locally, `ssh [-i KEY] [-o …] [-p N] user@host '…'`
// remotely, with this run's key and options when it has them. The remote command is quoted by
// the same function as the one the runner sends over ssh.
export function printable(e: Endpoint, argv: readonly string[], ssh: Pick<SshConnections, 'shown'> = new SshConnections()): string {
  return e.kind === 'local' ? shellJoin(argv) : shellJoin([...ssh.shown(e), shellJoin(argv)]);
}

// This run's printer: its ssh settings, shown the way the run connects.
export function printer(ssh: Pick<SshConnections, 'shown'>): Printable {
  return (e, argv) => printable(e, argv, ssh);
}

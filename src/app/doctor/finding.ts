import type { PolicyFile } from '../../config/policy-file.js';
import { type Endpoint, type SshEndpoint, sshDestination } from '../../domain/endpoint.js';
import type { NotifyAttempt } from '../notify/run.js';
import type { StoreCapabilities } from '../ports.js';
import type { Inventory } from './inventory.js';

// ok: fine. warn: worth fixing, the next run still works. fail: the next cron run would fail
// (doctor exits 1). skip: nothing to check, or it could not be checked (say why).
export type Status = 'ok' | 'warn' | 'fail' | 'skip';

// One row of the report: what was checked, where, what was found, and how to fix it.
export interface Finding {
  readonly check: string; // config, zfs, ssh, dataset, tools, store, lock, notify, schedule
  readonly where: string; // a file, host, dataset or URL (redacted)
  readonly status: Status;
  readonly detail: string;
  readonly fix?: string; // a command or an edit, on every warn and fail
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly sshFix?: string; // ssh refused the host key: the fix, naming the run's known_hosts
}

// Everything a check may touch; built by cli/commands/doctor.ts.
export interface DoctorDeps {
  readonly configPath: string;
  readonly file: PolicyFile | undefined; // undefined: the file could not be read
  readonly configError: string | undefined;
  readonly inventory: Inventory;
  readonly lockDir: string;
  readonly uid: number;
  readonly paths: { readonly cronFile: string; readonly systemdDir: string };
  // Run argv on a host (ssh for remote ones), never mutating.
  readonly exec: (e: Endpoint, argv: readonly string[], timeoutMs?: number) => Promise<ExecResult>;
  // zfs on a host: capabilities() is the probe every run makes.
  readonly zfs: (e: Endpoint) => DoctorZfs;
  // An object store for s3:// or file:// (check() = a request on the bucket or directory).
  readonly openStore: (dest: string) => Promise<{ check(): Promise<void>; close(): Promise<void> }>;
  // Settings of a store that cannot work together (e.g. encrypt without a key), if any.
  readonly storeProblem?: (dest: string) => Promise<string | undefined>;
  // A program's path on this host's PATH, or undefined.
  readonly which: (program: string) => string | undefined;
  // The programs a host has, found the way send finds them (adapters/exec/tools.ts ToolProbe).
  readonly tools: (e: Endpoint) => Promise<ReadonlySet<string>>;
  // Send a test notification to every target (doctor --notify); absent: only check settings.
  readonly sendTestNotification?: () => Promise<NotifyAttempt[]>;
  // Set by the ssh check: hosts that could not be reached (later checks skip them).
  readonly unreachable: Set<string>;
}

// What doctor asks a host's zfs; the adapter builds the commands, the checks read the answers.
export interface DoctorZfs {
  capabilities(): Promise<StoreCapabilities>;
  listNames(names: readonly string[], timeoutMs?: number): Promise<ExecResult>; // zfs list -H -o name NAMES (no -r)
  pools(timeoutMs?: number): Promise<ExecResult>; // zpool list -H -o name
}

// A check: a small function returning rows. New features add theirs to checks/index.ts.
export type DoctorCheck = (d: DoctorDeps) => Promise<Finding[]>;

// ssh's printable form of a host for fixes: "-p 2222 root@backup".
export function sshTarget(e: SshEndpoint): string {
  return `${e.port !== undefined ? `-p ${e.port} ` : ''}${sshDestination(e)}`;
}

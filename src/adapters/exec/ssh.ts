import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Endpoint, type SshEndpoint, endpointKey, sshDestination } from '../../domain/endpoint.js';
import type { HostZfs } from '../../domain/host-zfs.js';
import { run, runSync } from './process.js';
import { shellJoin } from './shell-quote.js';

// How long an idle master connection outlives its last session: long enough to carry a run's
// back-to-back commands, short enough that one orphaned by a kill -9 is gone within seconds.
export const CONTROL_PERSIST_SEC = 10;

// How to reach ssh hosts in this run.
export interface SshSettings {
  readonly identity?: (e: SshEndpoint) => string | undefined;
  readonly options?: readonly string[]; // extra `-o Key=Value` entries
  readonly cipher?: string;
  readonly connectTimeoutSec?: number;
  readonly multiplex?: boolean; // one ControlMaster connection per host per run (default on)
  // How zfs starts on a host (zfs_path, elevate); unset: `zfs` on the PATH, not elevated.
  readonly zfs?: (e: Endpoint) => HostZfs | undefined;
}

// Builds ssh command lines for this run and owns its ControlMaster sockets: one master per host,
// opened by ready() before the first command there (not by whichever of several parallel
// commands comes first: ControlMaster=auto lets each of them race to be the master).
export class SshConnections {
  private controlDir: string | undefined;
  private readonly used = new Map<string, SshEndpoint>();
  private readonly sockets = new Map<string, string>(); // host → its socket's name in controlDir
  private readonly masters = new Map<string, Promise<boolean>>(); // host → opened (or not)

  constructor(readonly settings: SshSettings = {}) {}

  // The argv that runs `remote` (an argv) on `e`. The remote side gets one shell line, quoted
  // here and only here, so every argument arrives as exactly one argument.
  argv(e: SshEndpoint, remote: readonly string[]): string[] {
    return [...this.prefix(e), shellJoin(remote)];
  }

  // `ssh [options] -- [user@]host`, without the command.
  prefix(e: SshEndpoint): string[] {
    const s = this.settings;
    const argv = ['ssh', '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${s.connectTimeoutSec ?? 10}`, '-o', 'ServerAliveInterval=30'];
    if (e.port !== undefined) argv.push('-p', String(e.port));
    const id = s.identity?.(e);
    if (id) argv.push('-i', id, '-o', 'IdentitiesOnly=yes');
    if (s.cipher) argv.push('-c', s.cipher);
    for (const o of s.options ?? []) argv.push('-o', o);
    if (s.multiplex !== false) {
      this.used.set(endpointKey(e), e);
      // %C is a hash of host, port and user: short enough for the socket path limit. ssh forks
      // the master into a session of its own, so it cannot die with holdfast: close() ends it,
      // and after a kill -9 it ends once idle for ControlPersist (docs/design.md, "Signals").
      // Once ready() opened the master, every command is its client; before (or where it could
      // not open), the first command becomes the master as it did.
      const master = this.opened.has(endpointKey(e)) ? 'no' : 'auto';
      argv.push('-o', `ControlMaster=${master}`, '-o', `ControlPath=${this.socket(e)}`, '-o', `ControlPersist=${CONTROL_PERSIST_SEC}`);
    }
    argv.push('--', sshDestination(e));
    return argv;
  }

  // `ssh [-i KEY] [-c CIPHER] [-o OPTION]… [-p PORT] [user@]host`: how a user would type it to
  // reach `e` as this run does (for --dry-run and messages), without the run's batch, timeout and
  // connection-sharing options.
  shown(e: SshEndpoint): string[] {
    const s = this.settings;
    const id = s.identity?.(e);
    return [
      'ssh',
      ...(id ? ['-i', id] : []),
      ...(s.cipher ? ['-c', s.cipher] : []),
      ...(s.options ?? []).flatMap((o) => ['-o', o]),
      ...(e.port !== undefined ? ['-p', String(e.port)] : []),
      sshDestination(e),
    ];
  }

  // Open `e`'s master connection unless it is open: `ssh -M -N -f` returns once it is
  // authenticated and in the background. Concurrent callers share the one attempt; a master that
  // ended (idle for ControlPersist) is opened again. Where it cannot open, commands connect as
  // they would alone, and their own errors say why (host key, refused, …).
  async ready(e: SshEndpoint): Promise<void> {
    if (this.settings.multiplex === false) return;
    const k = endpointKey(e);
    let p = this.masters.get(k);
    if (p && this.opened.has(k) && !existsSync(this.socket(e))) {
      this.opened.delete(k);
      p = undefined;
    }
    if (!p) {
      const argv = this.prefix(e);
      argv.splice(argv.indexOf('ControlMaster=auto'), 1, 'ControlMaster=yes');
      argv.splice(argv.length - 2, 0, '-N', '-f');
      p = run(argv, { timeoutMs: ((this.settings.connectTimeoutSec ?? 10) + 5) * 1000 }).then((r) => {
        if (r.exitCode === 0 && existsSync(this.socket(e))) this.opened.add(k);
        return this.opened.has(k);
      });
      this.masters.set(k, p);
    }
    await p;
  }

  private readonly opened = new Set<string>();

  // A short socket name per host (the path must stay under the socket path limit).
  private socket(e: SshEndpoint): string {
    const k = endpointKey(e);
    let name = this.sockets.get(k);
    if (!name) this.sockets.set(k, (name = `m${this.sockets.size}`));
    return join(this.dir(), name);
  }

  private dir(): string {
    this.controlDir ??= mkdtempSync(join(tmpdir(), 'holdfast-ssh-'));
    return this.controlDir;
  }

  // End every master connection this run opened, and remove the socket directory.
  close(): void {
    for (const e of this.used.values()) {
      const argv = this.prefix(e);
      argv.splice(argv.length - 2, 0, '-O', 'exit');
      runSync(argv, { timeoutMs: 5000 });
    }
    this.used.clear();
    this.masters.clear();
    this.opened.clear();
    if (this.controlDir) rmSync(this.controlDir, { recursive: true, force: true });
    this.controlDir = undefined;
  }
}

import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { must, run } from '../helpers/run.js';

// A real sshd on 127.0.0.1 for the ops tests (doctor over ssh). It logs in as hfroot, a uid-0
// user with /bin/sh and its own home, so root's ~/.bashrc (pyenv) does not slow every command.
export interface TestSshd {
  readonly port: number;
  readonly user: string;
  readonly key: string; // the client's private key
  readonly dir: string;
  location(dataset: string): string; // ssh:PORT:hfroot@127.0.0.1:DATASET
  stop(): void;
}

export const SSH_USER = 'hfroot';

// Create the login user once per machine (useradd is not idempotent; two files may race).
async function ensureUser(): Promise<void> {
  if ((await run(['id', SSH_USER])).code === 0) return;
  await run(['useradd', '-o', '-u', '0', '-g', '0', '-M', '-d', '/var/lib/holdfast-ssh', '-s', '/bin/sh', SSH_USER]);
  await must(['id', SSH_USER]);
}

// Start an sshd. `path` replaces the session's PATH (a remote host that lacks some program):
// only the listed programs are linked into a private bin directory.
export async function startSshd(opts: { path?: readonly string[] } = {}): Promise<TestSshd> {
  await ensureUser();
  mkdirSync('/run/sshd', { recursive: true });
  mkdirSync('/var/lib/holdfast-ssh', { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'hf-sshd-'));
  await must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host')]);
  await must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')));
  const extra: string[] = [];
  if (opts.path) {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const p of opts.path) {
      const found = (await run(['sh', '-c', `command -v ${p}`])).stdout.trim();
      if (found) symlinkSync(found, join(bin, p));
    }
    extra.push('-o', `SetEnv=PATH=${bin}`);
  }
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const pidFile = join(dir, 'sshd.pid');
    const args = [
      '-f',
      '/dev/null',
      '-o',
      'ListenAddress=127.0.0.1',
      '-o',
      `Port=${port}`,
      '-o',
      `HostKey=${join(dir, 'host')}`,
      '-o',
      `AuthorizedKeysFile=${join(dir, 'authorized_keys')}`,
      '-o',
      'PermitRootLogin=prohibit-password',
      '-o',
      `PidFile=${pidFile}`,
      '-o',
      'StrictModes=no',
      '-o',
      'MaxStartups=50',
      ...extra,
    ];
    const r = await run(['/usr/sbin/sshd', ...args]);
    if (r.code === 0 && (await waitFor(() => existsSync(pidFile)))) {
      const hostPub = readFileSync(join(dir, 'host.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
      writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
      chmodSync(join(dir, 'client'), 0o600);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      return {
        port,
        user: SSH_USER,
        key: join(dir, 'client'),
        dir,
        location: (dataset) => `ssh:${port}:${SSH_USER}@127.0.0.1:${dataset}`,
        stop: () => {
          try {
            process.kill(pid, 'SIGTERM');
          } catch {
            // already gone
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    if (attempt >= 3) throw new Error(`sshd did not start: ${r.stderr}`);
  }
}

// A directory with an `ssh` that trusts these test servers' host keys and ignores the
// invoking user's ~/.ssh/config; put it first on the PATH of the holdfast under test.
export function sshShim(servers: readonly TestSshd[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'hf-sshshim-'));
  const known = join(dir, 'known_hosts');
  writeFileSync(known, servers.map((s) => readFileSync(join(s.dir, 'known_hosts'), 'utf8')).join(''));
  const ssh = join(dir, 'ssh');
  writeFileSync(
    ssh,
    `#!/bin/sh\nexec /usr/bin/ssh -F /dev/null -o UserKnownHostsFile=${known} -o StrictHostKeyChecking=yes -o LogLevel=ERROR "$@"\n`,
  );
  chmodSync(ssh, 0o755);
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(f: () => boolean, ms = 5000): Promise<boolean> {
  for (let t = 0; t < ms; t += 50) {
    if (f()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return f();
}

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { must, run } from '../../helpers/run.js';

// A real sshd on 127.0.0.1 for the rsync-over-ssh tests, with its own host and client keys.
// The login is `hfroot`, a uid-0 account with /bin/sh and its own HOME: root's ~/.bashrc runs
// pyenv init, which would make every ssh command slow. The send tests may create the same
// account, so creating it is idempotent and tolerant of a concurrent creator.
export const SSH_USER = 'hfroot';
const SSH_HOME = '/var/lib/holdfast-ssh';

export interface TestSshd {
  readonly port: number;
  readonly key: string; // client private key
  readonly knownHosts: string; // the server's host key, for StrictHostKeyChecking=yes
  stop(): Promise<void>;
}

export async function ensureSshUser(): Promise<void> {
  mkdirSync(SSH_HOME, { recursive: true });
  if ((await run(['getent', 'passwd', SSH_USER])).code === 0) return;
  const r = await run(['useradd', '-o', '-u', '0', '-g', '0', '-M', '-d', SSH_HOME, '-s', '/bin/sh', '-p', '*', SSH_USER]);
  if (r.code !== 0 && (await run(['getent', 'passwd', SSH_USER])).code !== 0) throw new Error(`useradd ${SSH_USER}: ${r.stderr.trim()}`);
}

export async function startSshd(): Promise<TestSshd> {
  await ensureSshUser();
  mkdirSync('/run/sshd', { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'hf-sshd-'));
  const key = join(dir, 'client');
  await must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host')]);
  await must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', key]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${key}.pub`));
  const port = await freePort();
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host.pub'), 'utf8')}`);
  const child: ChildProcess = spawn('/usr/sbin/sshd', [
    '-D', '-e', '-f', '/dev/null',
    '-o', 'ListenAddress=127.0.0.1', '-o', `Port=${port}`, '-o', `HostKey=${join(dir, 'host')}`,
    '-o', `AuthorizedKeysFile=${join(dir, 'authorized_keys')}`, '-o', 'PermitRootLogin=prohibit-password',
    '-o', 'StrictModes=no', '-o', 'UsePAM=yes', '-o', `PidFile=${join(dir, 'sshd.pid')}`, '-o', 'LogLevel=ERROR',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; !(await listening(port)); i++) {
    if (i > 100 || child.exitCode !== null) {
      child.kill();
      throw new Error(`sshd did not start on port ${port}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    key,
    knownHosts,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

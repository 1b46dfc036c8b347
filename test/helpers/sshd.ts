import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { must, run } from './run.js';

// A real sshd on loopback for the ssh tests and the bench. It logs in a dedicated uid-0
// account with /bin/sh as its shell and its own HOME: root's ~/.bashrc here runs `pyenv init`,
// which bash reads even for `ssh host cmd` and which nearly doubles every remote command.
export const SSH_USER = 'hfroot';
const SSH_HOME = '/var/lib/holdfast-ssh';

export interface TestSshd {
  readonly port: number;
  readonly hosts: readonly string[]; // addresses it listens on (distinct hosts to holdfast)
  readonly user: string;
  readonly keyPath: string; // client identity
  readonly knownHosts: string;
  readonly dir: string;
  readonly pid: number;
  readonly logPath: string; // sshd's log: one "Accepted publickey" line per connection
  // ssh:PORT:hfroot@HOST:DATASET
  location(dataset: string, host?: string): string;
  // holdfast flags that reach it non-interactively
  readonly flags: readonly string[];
  // plain ssh argv to run a command there (for test set-up)
  ssh(host?: string): string[];
  stop(): Promise<void>;
}

export interface SshdOptions {
  readonly hosts?: readonly string[]; // default 127.0.0.1
  readonly path?: string; // PATH of the sessions (a shim directory first, for fault tests)
}

// Create the account once (CI starts on a fresh machine as root). Two test files may race
// here, and useradd/usermod refuse while the other holds /etc/passwd's lock: try again.
export async function ensureSshUser(): Promise<void> {
  mkdirSync(SSH_HOME, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true });
  let last = '';
  for (let i = 0; i < 20; i++) {
    const shadow = await run(['getent', 'shadow', SSH_USER]);
    if (shadow.code === 0 && shadow.stdout.split(':')[1] === '*') return;
    const r =
      shadow.code !== 0
        ? await run(['useradd', '-o', '-u', '0', '-g', '0', '-M', '-d', SSH_HOME, '-s', '/bin/sh', SSH_USER])
        : // A locked account ("!") cannot log in even with a key: "*" is "no password", not locked.
          await run(['usermod', '-p', '*', SSH_USER]);
    last = r.stderr.trim();
    if (r.code !== 0) await new Promise((res) => setTimeout(res, 100 + Math.random() * 200));
  }
  throw new Error(`cannot set up the ssh test account ${SSH_USER}: ${last}`);
}

export async function startSshd(o: SshdOptions = {}): Promise<TestSshd> {
  await ensureSshUser();
  const dir = mkdtempSync(join(tmpdir(), 'hf-sshd-'));
  const keyPath = join(dir, 'client');
  await must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host')]);
  await must(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${keyPath}.pub`));
  const hosts = o.hosts ?? ['127.0.0.1'];
  const port = await freePort();
  const hostKey = readFileSync(join(dir, 'host.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, hosts.map((h) => `[${h}]:${port} ${hostKey}\n`).join(''));
  const pidFile = join(dir, 'sshd.pid');
  const args = [
    '-f',
    '/dev/null',
    ...hosts.flatMap((h) => ['-o', `ListenAddress=${h}:${port}`]),
    '-o',
    `HostKey=${join(dir, 'host')}`,
    '-o',
    `AuthorizedKeysFile=${join(dir, 'authorized_keys')}`,
    '-o',
    'PermitRootLogin=prohibit-password',
    '-o',
    'PasswordAuthentication=no',
    '-o',
    'KbdInteractiveAuthentication=no',
    '-o',
    `PidFile=${pidFile}`,
    '-o',
    'StrictModes=no',
    '-o',
    'MaxSessions=100',
    '-o',
    'MaxStartups=100',
    '-o',
    'UseDNS=no',
    ...(o.path ? ['-o', `SetEnv=PATH=${o.path}`] : []),
    '-E',
    join(dir, 'sshd.log'),
  ];
  await must(['/usr/sbin/sshd', ...args]);
  for (let i = 0; i < 100 && !(existsSync(pidFile) && (await accepts(hosts[0]!, port))); i++) await new Promise((r) => setTimeout(r, 50));
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const flags = ['-i', keyPath, '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'LogLevel=ERROR'];
  const sshArgv = (host = hosts[0]!) => [
    'ssh',
    '-i',
    keyPath,
    '-p',
    String(port),
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'BatchMode=yes',
    '-o',
    'LogLevel=ERROR',
    `${SSH_USER}@${host}`,
  ];
  return {
    port,
    hosts,
    user: SSH_USER,
    keyPath,
    knownHosts,
    dir,
    pid,
    logPath: join(dir, 'sshd.log'),
    location: (dataset, host = hosts[0]!) => `ssh:${port}:${SSH_USER}@${host}:${dataset}`,
    flags,
    ssh: sshArgv,
    stop: async () => {
      for (const p of sessionPids({ pid })) {
        try {
          process.kill(p, 'SIGTERM');
        } catch {
          // gone
        }
      }
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The sshd session processes serving connections right now (children of the listener), so a
// test can drop a connection by killing exactly those.
export function sessionPids(sshd: Pick<TestSshd, 'pid'>): number[] {
  const out: number[] = [];
  const walk = (ppid: number): void => {
    let children = '';
    try {
      children = readFileSync(`/proc/${ppid}/task/${ppid}/children`, 'utf8');
    } catch {
      return;
    }
    for (const c of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
      out.push(c);
      walk(c);
    }
  };
  walk(sshd.pid);
  return out;
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

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host, port }, () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

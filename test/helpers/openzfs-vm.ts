import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

// The real-OpenZFS lane: a qemu VM (OpenZFS 2.1.11) reached over ssh. See test/lab/README.md.
// Usable from a vitest globalSetup: start once, hand the result to tests via project.provide().

const LAB = fileURLToPath(new URL('../lab/openzfs-vm/', import.meta.url));
const DEFAULT_PORT = 10022;

export interface OpenZfsVm {
  ok: true;
  host: string;
  port: number;
  user: 'root';
  keyPath: string;
  disks: string[]; // empty scratch disks for pools, e.g. zpool create -f tank /dev/vdb
  bootSeconds: number; // 0 when an already running VM was reused
}
export type OpenZfsVmResult = OpenZfsVm | { ok: false; reason: string };
export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}
export interface VmExecOptions {
  vm?: Pick<OpenZfsVm, 'port' | 'keyPath'>; // default: the VM this process started, else env
  input?: string | Buffer;
  timeoutMs?: number;
}

interface State {
  vm: OpenZfsVm;
  env: NodeJS.ProcessEnv;
  reused: boolean;
}
let state: State | undefined;

// Why: the scripts read CACHE/SSH_PORT; pass them explicitly so a stray CACHE in the env is not used.
function cacheDir(): string {
  return process.env.HOLDFAST_OPENZFS_CACHE ?? '/var/cache/holdfast-lab/openzfs-vm';
}

// Why: one place that runs a child and never rejects, so callers turn failures into reasons.
function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; input?: string | Buffer; timeoutMs?: number } = {},
): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs) : undefined;
    const done = (code: number, extra = ''): void => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') + extra });
    };
    child.once('error', (e) => done(127, `${cmd}: ${e.message}\n`)); // e.g. ENOENT: not installed
    child.once('close', (code, signal) => done(code ?? 128, signal ? `${cmd}: killed by ${signal}\n` : ''));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() || 'no output';
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

// Why: a free port from the OS when the default one is taken (another run, another service).
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

// Why: a VM of ours left running on the default port is reused instead of booting a second one.
function ourVmRunsOn(port: number): boolean {
  try {
    process.kill(Number(readFileSync(`${cacheDir()}/run-${port}/qemu.pid`, 'utf8').trim()), 0);
    return true;
  } catch {
    return false;
  }
}

async function choosePort(): Promise<{ port: number } | { reason: string }> {
  const explicit = process.env.SSH_PORT ?? process.env.HOLDFAST_OPENZFS_SSH_PORT;
  if (explicit !== undefined) {
    const port = Number(explicit);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) return { reason: `invalid SSH_PORT ${explicit}` };
    if (!ourVmRunsOn(port) && !(await portIsFree(port))) return { reason: `127.0.0.1:${port} (SSH_PORT) is already in use` };
    return { port };
  }
  if (ourVmRunsOn(DEFAULT_PORT) || (await portIsFree(DEFAULT_PORT))) return { port: DEFAULT_PORT };
  return { port: await freePort() };
}

// Boots the VM (or reuses ours that already runs); resolves ok:false with a reason, never throws.
export async function startOpenZfsVm(): Promise<OpenZfsVmResult> {
  if (state) return state.vm;
  const off = process.env.HOLDFAST_OPENZFS_VM;
  if (off === '0' || off === 'off') return { ok: false, reason: `disabled by HOLDFAST_OPENZFS_VM=${off}` };
  if ((await run('qemu-system-x86_64', ['--version'])).code !== 0)
    return { ok: false, reason: 'qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)' };
  if ((await run('ssh', ['-V'])).code !== 0) return { ok: false, reason: 'ssh client is not installed (apt-get install openssh-client)' };

  const chosen = await choosePort();
  if ('reason' in chosen) return { ok: false, reason: chosen.reason };
  const env = { ...process.env, CACHE: cacheDir(), SSH_PORT: String(chosen.port) };

  // Resolve/unpack (or build, 6-10 min) the image; its last stderr line is the reason on failure.
  const image = await run(`${LAB}ensure-image.sh`, [], { env, timeoutMs: 30 * 60_000 });
  if (image.code !== 0) return { ok: false, reason: `no OpenZFS VM image: ${lastLine(image.stderr)}` };

  const boot = await run(`${LAB}boot.sh`, [], { env, timeoutMs: 11 * 60_000 });
  if (boot.code !== 0) {
    await run(`${LAB}stop.sh`, [], { env, timeoutMs: 120_000 }); // a half-booted guest must not linger
    return { ok: false, reason: `OpenZFS VM boot failed: ${lastLine(boot.stderr)}` };
  }
  const reused = /already running/.test(boot.stdout);
  const vm: OpenZfsVm = {
    ok: true,
    host: '127.0.0.1',
    port: chosen.port,
    user: 'root',
    keyPath: `${cacheDir()}/out/id_ed25519`,
    disks: ['/dev/vdb', '/dev/vdc'],
    bootSeconds: Number(/ready after ([\d.]+)s/.exec(boot.stdout)?.[1] ?? 0),
  };
  state = { vm, env, reused };
  // Why: test workers are separate processes; they find the VM through these (or through provide()).
  process.env.HOLDFAST_OPENZFS_VM_PORT = String(vm.port);
  process.env.HOLDFAST_OPENZFS_VM_KEY = vm.keyPath;
  return vm;
}

// Powers off the VM this process booted (a reused one is left running); never throws.
export async function stopOpenZfsVm(): Promise<void> {
  const s = state;
  state = undefined;
  delete process.env.HOLDFAST_OPENZFS_VM_PORT;
  delete process.env.HOLDFAST_OPENZFS_VM_KEY;
  if (!s) return;
  await run('ssh', [...sshArgs(s.vm), ...muxArgs(s.vm.port), '-O', 'exit', 'root@127.0.0.1'], { timeoutMs: 10_000 }); // end our ssh master
  if (!s.reused) await run(`${LAB}stop.sh`, [], { env: s.env, timeoutMs: 150_000 });
}

// Runs a shell command line in the VM as root over ssh; the result carries the remote exit code.
export async function vmExec(cmd: string, opts: VmExecOptions = {}): Promise<ExecResult> {
  const target = opts.vm ?? state?.vm ?? vmFromEnv();
  if (!target) throw new Error('OpenZFS VM not started (startOpenZfsVm) and HOLDFAST_OPENZFS_VM_PORT/_KEY unset');
  return run('ssh', [...sshArgs(target), ...muxArgs(target.port), 'root@127.0.0.1', '--', cmd], {
    input: opts.input,
    timeoutMs: opts.timeoutMs,
  });
}

// Why: a new ssh handshake costs ~2 s against the TCG-emulated guest, a multiplexed one ~0.2 s.
function muxArgs(port: number): string[] {
  return ['-o', 'ControlMaster=auto', '-o', `ControlPath=${tmpdir()}/holdfast-ovm-${port}.ssh`, '-o', 'ControlPersist=60'];
}

// The VM's host key changes with every image: neither checked nor remembered, nor warned about.
export const VM_SSH_OPTIONS = ['StrictHostKeyChecking=no', 'UserKnownHostsFile=/dev/null', 'LogLevel=ERROR'];

// The ssh options holdfast (or a test) needs to reach the VM non-interactively.
export function sshArgs(vm: Pick<OpenZfsVm, 'port' | 'keyPath'>): string[] {
  return [
    '-F',
    '/dev/null', // ignore ~/.ssh/config of whoever runs the tests
    '-i',
    vm.keyPath,
    '-p',
    String(vm.port),
    '-o',
    'BatchMode=yes',
    ...VM_SSH_OPTIONS.flatMap((o) => ['-o', o]),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'ConnectTimeout=10',
  ];
}

// A holdfast location for a dataset in the VM, e.g. ssh:10022:root@127.0.0.1:tank/data.
export function vmLocation(vm: Pick<OpenZfsVm, 'port'>, dataset: string): string {
  return `ssh:${vm.port}:root@127.0.0.1:${dataset}`;
}

function vmFromEnv(): Pick<OpenZfsVm, 'port' | 'keyPath'> | undefined {
  const port = Number(process.env.HOLDFAST_OPENZFS_VM_PORT);
  const keyPath = process.env.HOLDFAST_OPENZFS_VM_KEY;
  return Number.isInteger(port) && port > 0 && keyPath ? { port, keyPath } : undefined;
}

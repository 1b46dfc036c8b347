import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Debian's interpreter: python3-swift lives in its dist-packages, not in a pyenv/venv python.
const PYTHON = '/usr/bin/python3';
const LAUNCHER = fileURLToPath(new URL('../lab/swift/swift_saio.py', import.meta.url));

// What a test needs to talk to the S3 endpoint (the value handed out by globalSetup's provide()).
export interface SwiftEndpoint {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

// A running Swift: the endpoint plus the handles needed to stop, kill or restart it.
export interface SwiftServer extends SwiftEndpoint {
  port: number;
  dir: string;
  pids: number[];
  stop(): Promise<void>;
  killServers(): void;
}

export interface StartSwiftOptions {
  port?: number; // base port; the 3 backends use port+1..port+3
  dir?: string;
  keep?: boolean; // keep the data dir on stop (to restart on the same data)
  timeoutMs?: number;
}

// Why: the launcher binds port..port+3, so a usable base needs four free consecutive ports.
export async function findFreePortBase(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 40_000);
    const free = await Promise.all([0, 1, 2, 3].map((i) => portIsFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no 4 consecutive free ports found for Swift');
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

// Why: one call that yields a ready Swift (or a clear error with its stderr), for globalSetup and
// for tests that must kill and restart their own server.
export async function startSwift(opts: StartSwiftOptions = {}): Promise<SwiftServer> {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'holdfast-swift-')));
  const tries = opts.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let i = 0; i < tries; i++) {
    const port = opts.port ?? (await findFreePortBase());
    try {
      return await launch(port, dir, opts.keep ?? false, opts.timeoutMs ?? 60_000);
    } catch (err) {
      lastError = err; // most likely a port race: try another base
    }
  }
  throw lastError;
}

async function launch(port: number, dir: string, keep: boolean, timeoutMs: number): Promise<SwiftServer> {
  const args = [LAUNCHER, '--port', String(port), '--dir', dir, '--max-parts', '10000', '--watch-pid', String(process.pid)];
  if (keep) args.push('--keep');
  const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`Swift did not start in ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`${err.message}; stderr: ${stderr.trim()}`));
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      for (const line of out.split('\n').slice(0, -1)) {
        const msg = parseReadyLine(line);
        if (msg) {
          clearTimeout(timer);
          resolve(msg);
        }
      }
    });
    child.once('exit', (code) => fail(new Error(`Swift launcher exited with ${code}`)));
  });
  child.stdout.resume();
  return {
    endpoint: String(ready.endpoint),
    accessKeyId: String(ready.accessKeyId),
    secretAccessKey: String(ready.secretAccessKey),
    port,
    dir,
    pids: (ready.pids as number[]) ?? [],
    stop: () => stopLauncher(child, exited),
    killServers: () => killPids((ready.pids as number[]) ?? []),
  };
}

function parseReadyLine(line: string): Record<string, unknown> | undefined {
  try {
    const msg = JSON.parse(line) as Record<string, unknown>;
    return msg.ready === true ? msg : undefined;
  } catch {
    return undefined;
  }
}

async function stopLauncher(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

// Simulates a crash: SIGKILL the four server processes this launcher started (by PID).
function killPids(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

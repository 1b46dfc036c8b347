import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { type Options, type Result, type SyncResult, execa, execaSync } from '#execa';
import { childEnv } from './child-env.js';
import { STOP_GRACE_MS } from './stop-child.js';

// The process layer: every program holdfast starts (zfs, ssh, pipeline stages, rsync, flock,
// notify commands) starts here, through execa. An argv, never a shell; the environment without
// secrets (childEnv); killed when holdfast exits (execa's cleanup); on an interrupted run
// (`stop` aborted) SIGTERM, then SIGKILL after STOP_GRACE_MS. Only command bodies reach this
// module, so --help and --version never load execa (test/unit/ops-startup.test.ts).

// How a process ended, as a shell reports it.
export interface Exit {
  readonly exitCode: number; // 128 + N when signal N ended it, 127 when it never started
  readonly signal?: NodeJS.Signals;
  readonly timedOut?: true;
  readonly canceled?: true; // stopped because the run was interrupted
  readonly startError?: string; // why it never started: "zfs: command not found"
}

// stdin, stdout, stderr and any further descriptor: a pipe, nothing, or a stream or fd of ours
// (another process's stdout as a stage's stdin: the child gets the descriptor itself).
export type Stdio = 'pipe' | 'ignore' | Readable | Writable | number;

export interface ProcessOptions {
  readonly stdio?: readonly [Stdio, Stdio, Stdio, ...Stdio[]]; // default: three pipes
  readonly input?: string; // written to stdin, then closed (stdin must be a pipe)
  readonly env?: Readonly<Record<string, string>>; // added to childEnv()
  readonly stop?: AbortSignal;
  readonly graceMs?: number; // from SIGTERM to SIGKILL (default STOP_GRACE_MS)
  readonly timeoutMs?: number;
  readonly timeoutSignal?: NodeJS.Signals; // what a timeout sends (default SIGTERM, then SIGKILL)
}

// A started process whose output the caller reads as it comes (execa buffers nothing).
export interface Started {
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly pid: number | undefined;
  kill(signal?: NodeJS.Signals): void;
  readonly exit: Promise<Exit>;
}

// 128 + this is a shell's exit status for a process ended by `signal`.
export function signalNumber(signal: string): number {
  return (constants.signals as Record<string, number>)[signal] ?? 0;
}

function options(o: ProcessOptions, buffer: boolean): Options {
  return {
    stdio: (o.stdio ?? ['pipe', 'pipe', 'pipe']) as Options['stdio'],
    ...(o.input !== undefined ? { input: o.input } : {}),
    env: { ...childEnv(), ...o.env },
    extendEnv: false,
    reject: false,
    buffer,
    maxBuffer: Number.POSITIVE_INFINITY, // zfs get on a large pool prints megabytes
    stripFinalNewline: false,
    cleanup: true,
    forceKillAfterDelay: o.graceMs ?? STOP_GRACE_MS,
    ...(o.stop ? { cancelSignal: o.stop } : {}),
    ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}),
    ...(o.timeoutSignal ? { killSignal: o.timeoutSignal } : {}),
  };
}

// execa's result as an exit status. A process that never started has neither an exit code
// nor a signal: ENOENT reads as a shell says it, anything else in node's words.
export function exitOf(r: Result | SyncResult, program: string): Exit {
  const flags = {
    ...(r.timedOut ? { timedOut: true as const } : {}),
    ...('isCanceled' in r && r.isCanceled ? { canceled: true as const } : {}),
  };
  if (r.exitCode !== undefined) return { exitCode: r.exitCode, ...flags };
  if (r.signal) return { exitCode: 128 + signalNumber(r.signal), signal: r.signal, ...flags };
  const startError = r.code === 'ENOENT' ? `${program}: command not found` : (r.originalMessage ?? r.shortMessage ?? 'did not start');
  return { exitCode: 127, startError, ...flags };
}

// Run to the end and collect both outputs; a start error is the last line of stderr.
export async function run(argv: readonly string[], o: ProcessOptions = {}): Promise<Exit & { stdout: string; stderr: string }> {
  const r = await execa(argv[0]!, argv.slice(1), options(o, true));
  const exit = exitOf(r, argv[0]!);
  const text = (x: unknown): string => (typeof x === 'string' ? x : '');
  return { ...exit, stdout: text(r.stdout), stderr: text(r.stderr) + (exit.startError ? `${exit.startError}\n` : '') };
}

// Start and return at once: the caller wires and reads the streams (a pipeline stage).
export function start(argv: readonly string[], o: ProcessOptions = {}): Started {
  const child = execa(argv[0]!, argv.slice(1), options(o, false));
  return {
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    pid: child.pid,
    kill: (signal) => void child.kill(signal),
    exit: child.then((r) => exitOf(r, argv[0]!)),
  };
}

// Run to the end, output discarded, for the few calls made where nothing can wait (the ssh
// master connections closed as the run ends).
export function runSync(argv: readonly string[], o: { timeoutMs?: number } = {}): Exit {
  const r = execaSync(argv[0]!, argv.slice(1), {
    stdio: 'ignore',
    env: childEnv(),
    extendEnv: false,
    reject: false,
    ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}),
  });
  return exitOf(r, argv[0]!);
}

// Run to the end in a process group of its own (a hook: `sh -c '…'` may start children that
// outlive sh), stdin closed. After `timeoutMs` the whole group gets SIGTERM, then SIGKILL after
// `graceMs`; the result says it timed out. Both outputs are collected (a child left running in
// the background must not keep them open, or the run waits for it).
export async function runGroup(
  argv: readonly string[],
  o: {
    readonly env?: Readonly<Record<string, string>>;
    readonly timeoutMs: number;
    readonly graceMs?: number;
    readonly stop?: AbortSignal;
  },
): Promise<Exit & { stdout: string; stderr: string }> {
  const child = execa(argv[0]!, argv.slice(1), {
    ...options({ stdio: ['ignore', 'pipe', 'pipe'], ...(o.env ? { env: o.env } : {}), ...(o.stop ? { stop: o.stop } : {}) }, true),
    detached: true,
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // the group is gone already
    }
  };
  let timedOut = false;
  let kill: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup('SIGTERM');
    kill = setTimeout(() => signalGroup('SIGKILL'), o.graceMs ?? STOP_GRACE_MS);
  }, o.timeoutMs);
  const r = await child;
  clearTimeout(timer);
  if (kill) clearTimeout(kill);
  const exit = exitOf(r, argv[0]!);
  const text = (x: unknown): string => (typeof x === 'string' ? x : '');
  return {
    ...exit,
    ...(timedOut ? { timedOut: true as const } : {}),
    stdout: text(r.stdout),
    stderr: text(r.stderr) + (exit.startError ? `${exit.startError}\n` : ''),
  };
}

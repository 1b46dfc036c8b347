import { type ChildProcess, spawn } from 'node:child_process';
import { type Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import { childEnv } from '../exec/child-env.js';
import { StoppedError, stopOnAbort } from '../exec/stop-child.js';
import { HoldfastError } from '../../domain/errors.js';

// One process of a store pipeline: the argv that runs (ssh-wrapped already for a remote host)
// and how messages name it ("zfs send tank/a@s1").
export interface ProcSpec {
  readonly argv: readonly string[];
  readonly name: string;
}

// Why: a stage of a store transfer failed; the message names it and ends with its stderr.
export class StreamStageError extends HoldfastError {
  override name = 'StreamStageError';
}

interface Proc {
  readonly spec: ProcSpec;
  readonly child: ChildProcess;
  readonly closed: Promise<void>;
  code?: number;
  stderr: string;
  killedByUs: boolean;
}

function start(spec: ProcSpec, stdio: ('ignore' | 'pipe' | Writable)[], stop: AbortSignal | undefined): Proc {
  if (stop?.aborted) throw new StoppedError(spec.name);
  const child = spawn(spec.argv[0]!, spec.argv.slice(1), { stdio: stdio as never, env: childEnv() });
  stopOnAbort(child, stop);
  const p: Proc = { spec, child, stderr: '', killedByUs: false, closed: Promise.resolve() };
  child.stderr?.on('data', (b: Buffer) => (p.stderr = (p.stderr + b.toString('utf8')).slice(-4096)));
  let spawnError: string | undefined;
  child.on('error', (e: NodeJS.ErrnoException) => (spawnError = e.code === 'ENOENT' ? `${spec.argv[0]}: command not found` : e.message));
  (p as { closed: Promise<void> }).closed = new Promise((resolve) =>
    child.on('close', (code, sig) => {
      if (spawnError) p.stderr += `${spawnError}\n`;
      p.code = spawnError ? 127 : (code ?? (sig ? 128 + (sig === 'SIGKILL' ? 9 : sig === 'SIGPIPE' ? 13 : 15) : 1));
      resolve();
    }),
  );
  return p;
}

function kill(procs: readonly Proc[]): void {
  for (const p of procs) {
    if (p.code !== undefined) continue;
    p.killedByUs = true;
    p.child.kill('SIGKILL');
  }
}

// The cause among failed processes: the most upstream one that did not just die of its
// neighbour (SIGPIPE, "Broken pipe", or killed by us).
function failureOf(procs: readonly Proc[]): StreamStageError | undefined {
  const failed = procs.filter((p) => p.code !== 0);
  if (failed.length === 0) return undefined;
  const victim = (p: Proc): boolean => p.killedByUs || p.code === 141 || /Broken pipe|EPIPE/i.test(p.stderr);
  const p = failed.find((x) => !victim(x)) ?? failed[failed.length - 1]!;
  const tail = p.stderr.trim().split('\n').filter(Boolean).slice(-2).join(' ⏎ ');
  return new StreamStageError(`${p.spec.name} exited ${p.code}${tail ? `: ${tail}` : ''}`);
}

export interface SendSource {
  readonly stream: Readable; // ends only once every process exited 0; errors otherwise
  rawBytes(): number; // bytes zfs send wrote
}

// Why: `zfs send | compressor` whose output the store reads. The stream must never end cleanly
// after a failed stage, or a truncated stream would be stored as complete: the end is held until
// every process has exited 0. If the reader gives up (upload failed), the processes are killed;
// so are they when the run is interrupted (`stop`).
export function sendSource(send: ProcSpec, compress?: ProcSpec, stop?: AbortSignal): SendSource {
  const s = start(send, ['ignore', 'pipe', 'pipe'], stop);
  let raw = 0;
  s.child.stdout!.on('data', (b: Buffer) => (raw += b.length));
  const procs = [s];
  let out: Readable = s.child.stdout!;
  if (compress) {
    const c = start(compress, ['pipe', 'pipe', 'pipe'], stop);
    c.child.stdin!.on('error', () => undefined); // the compressor died: its exit status says why
    s.child.stdout!.pipe(c.child.stdin!);
    procs.push(c);
    out = c.child.stdout!;
  }
  const gate = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      Promise.all(procs.map((p) => p.closed)).then(() => cb(failureOf(procs) ?? null), cb);
    },
  });
  out.on('error', (e) => gate.destroy(e));
  out.pipe(gate);
  // A stage that fails before its output ends still fails the stream promptly.
  for (const p of procs) {
    void p.closed.then(async () => {
      if (p.code === 0 || gate.destroyed || gate.writableFinished) return;
      kill(procs);
      await Promise.all(procs.map((q) => q.closed));
      gate.destroy(failureOf(procs) ?? new StreamStageError(`${p.spec.name} failed`));
    });
  }
  gate.on('close', () => kill(procs));
  return { stream: gate, rawBytes: () => raw };
}

export interface ReceiveSink {
  readonly stdin: Writable; // the decompressor's input, or zfs receive's
  finish(): Promise<string>; // after stdin ended: waits for every exit; zfs receive's stdout
  kill(): void; // zfs receive first, so it can never see the end of a stream
}

// Why: `[decompressor |] zfs receive`, fed by restore. The decompressor writes straight into
// zfs receive's stdin (no bytes through JavaScript on that hop).
export function receiveSink(receive: ProcSpec, decompress?: ProcSpec, stop?: AbortSignal): ReceiveSink {
  const r = start(receive, ['pipe', 'pipe', 'pipe'], stop);
  let stdout = '';
  r.child.stdout!.on('data', (b: Buffer) => (stdout = (stdout + b.toString('utf8')).slice(-8192)));
  const procs = [r];
  let stdin = r.child.stdin!;
  if (decompress) {
    try {
      const d = start(decompress, ['pipe', r.child.stdin!, 'pipe'], stop);
      procs.unshift(d);
      stdin = d.child.stdin!;
    } finally {
      r.child.stdin!.destroy(); // the decompressor holds the only writer now (or none: receive ends)
    }
  }
  stdin.on('error', () => undefined); // a stage that died: finish() reports its exit status
  return {
    stdin,
    finish: async () => {
      await Promise.all(procs.map((p) => p.closed));
      const f = failureOf(procs);
      if (f) throw f;
      return stdout;
    },
    kill: () => kill([r, ...procs.filter((p) => p !== r)]),
  };
}

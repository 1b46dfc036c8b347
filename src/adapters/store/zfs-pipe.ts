import { type Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import { HoldfastError } from '../../domain/errors.js';
import { type Started, type Stdio, start as startProcess } from '../exec/process.js';
import { StoppedError } from '../exec/stop-child.js';

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
  readonly child: Started;
  readonly closed: Promise<void>;
  code?: number;
  stderr: string;
  killedByUs: boolean;
}

// One process through the process layer (stopped with the run: `stop`), its stderr's tail kept.
function start(spec: ProcSpec, stdio: [Stdio, Stdio, Stdio], stop: AbortSignal | undefined): Proc {
  if (stop?.aborted) throw new StoppedError(spec.name);
  const child = startProcess(spec.argv, { stdio, stop });
  const p: Proc = { spec, child, stderr: '', killedByUs: false, closed: Promise.resolve() };
  child.stderr?.on('data', (b: Buffer) => (p.stderr = (p.stderr + b.toString('utf8')).slice(-4096)));
  (p as { closed: Promise<void> }).closed = child.exit.then((exit) => {
    if (exit.startError) p.stderr += `${exit.startError}\n`;
    p.code = exit.exitCode;
  });
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
// `limit` (mbuffer -r or pv -L) follows the compressor: it paces the bytes the store receives.
export function sendSource(send: ProcSpec, compress?: ProcSpec, stop?: AbortSignal, limit?: ProcSpec): SendSource {
  const s = start(send, ['ignore', 'pipe', 'pipe'], stop);
  let raw = 0;
  s.child.stdout!.on('data', (b: Buffer) => (raw += b.length));
  const procs = [s];
  let out: Readable = s.child.stdout!;
  for (const spec of [compress, limit]) {
    if (!spec) continue;
    const c = start(spec, ['pipe', 'pipe', 'pipe'], stop);
    c.child.stdin!.on('error', () => undefined); // the stage died: its exit status says why
    out.pipe(c.child.stdin!);
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

// Why: `[decompressor |] zfs receive`, fed by restore. The decompressor's stdout is zfs
// receive's stdin (no bytes through JavaScript on that hop): the parent closes its own copy as
// soon as receive has it, before the event loop could read from it.
export function receiveSink(receive: ProcSpec, decompress?: ProcSpec, stop?: AbortSignal): ReceiveSink {
  if (stop?.aborted) throw new StoppedError(decompress?.name ?? receive.name);
  const d = decompress ? start(decompress, ['pipe', 'pipe', 'pipe'], stop) : undefined;
  const r = start(receive, [d ? d.child.stdout! : 'pipe', 'pipe', 'pipe'], stop);
  d?.child.stdout!.destroy(); // zfs receive holds the only reader now
  let stdout = '';
  r.child.stdout!.on('data', (b: Buffer) => (stdout = (stdout + b.toString('utf8')).slice(-8192)));
  const procs = d ? [d, r] : [r];
  const stdin = (d ?? r).child.stdin!;
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

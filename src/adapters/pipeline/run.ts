import type { Readable } from 'node:stream';
import type { PipelineOutcome } from '../../app/send/ports.js';
import { type Endpoint, type SshEndpoint, placeLabel } from '../../domain/endpoint.js';
import { shellJoin } from '../exec/shell-quote.js';
import { type Unit, blame } from './blame.js';
import { type Pipeline, printPipeline, segmentsOf } from './pipeline.js';
import { newTag, parseStatuses, remoteArgv } from './remote-script.js';
import { TailBuffer } from './tail.js';
import { type Started, start } from '../exec/process.js';
import { StoppedError } from '../exec/stop-child.js';

export interface RunPipelineOptions {
  // ssh argv for a remote argv (SshConnections.argv: the one quoting site).
  readonly ssh: (e: SshEndpoint, remote: readonly string[]) => string[];
  // Local stages die with holdfast (kill -9 included): setpriv --pdeathsig KILL, if installed.
  readonly pdeathsig?: boolean;
  readonly graceMs?: number; // after a failure, how long the others may take to exit on their own
  readonly onSpawn?: (program: string) => void; // process counting
  readonly onStderrLine?: (stageIndex: number, line: string) => void; // e.g. pv -n progress
  readonly watchStderr?: number; // the stage whose stderr lines go to onStderrLine
  readonly onStart?: (procs: readonly { stageIndex: number; pid: number | undefined; role: string; local: boolean }[]) => void;
  // The run was interrupted (SIGTERM…): every stage gets SIGTERM at once, SIGKILL after
  // STOP_GRACE_MS (the process layer's cancellation).
  readonly signal?: AbortSignal;
}

// The send port's PipelineOutcome: every unit's status, the cause when not ok, and the tail of
// what the last process printed (zfs receive -v).
export type PipelineResult = PipelineOutcome;

interface Proc {
  readonly argv: string[];
  readonly units: { index: number | undefined; name: string; role: Unit['role']; endpoint: Endpoint }[];
  readonly tag?: string; // remote segment: the status tag
  child?: Started;
  code?: number;
  killedByUs: boolean;
  readonly stderr: TailBuffer;
}

// Run a pipeline with every process's stdout handed to the next process as its stdin. The
// processes start first to last in one synchronous loop: each one's stdout socket is passed to
// its successor as that one's stdin (the child gets the descriptor), and the parent closes its
// own copy in the same tick, before the event loop could read from it, so the parent never holds
// a readable end of the stream and no stream byte passes through JavaScript.
export async function runPipeline(p: Pipeline, o: RunPipelineOptions): Promise<PipelineResult> {
  if (o.signal?.aborted) throw new StoppedError(printPipeline(p));
  const procs = plan(p, o);
  const t0 = performance.now();
  const stdout = new TailBuffer(64 * 1024);
  let prev: Readable | undefined;
  procs.forEach((proc, i) => {
    o.onSpawn?.(proc.units[0]?.role === 'ssh' ? 'ssh' : (proc.argv[proc.argv[0] === 'setpriv' ? 4 : 0] ?? '?'));
    const child = start(proc.argv, { stdio: [prev ?? 'ignore', 'pipe', 'pipe'], stop: o.signal });
    prev?.destroy(); // the parent's copy: the successor holds the only reader
    prev = child.stdout ?? undefined;
    proc.child = child;
    if (i === procs.length - 1) child.stdout?.on('data', (b: Buffer) => stdout.push(b));
    const watched = o.watchStderr !== undefined && proc.units.some((u) => u.index === o.watchStderr);
    let partial = '';
    child.stderr?.on('data', (b: Buffer) => {
      proc.stderr.push(b);
      if (!watched || !o.onStderrLine) return;
      const lines = (partial + b.toString('utf8')).split(/[\r\n]/);
      partial = lines.pop() ?? '';
      for (const l of lines) if (l !== '') o.onStderrLine(o.watchStderr!, l);
    });
  });
  o.onStart?.(
    procs.flatMap((proc) => proc.units.map((u) => ({ stageIndex: u.index ?? -1, pid: proc.child?.pid, role: u.role, local: !proc.tag }))),
  );
  await supervise(procs, o.graceMs ?? 3000);
  const units = procs.flatMap(unitsOf);
  const failed = blame(units);
  return { ok: failed === undefined, ms: Math.round(performance.now() - t0), units, ...(failed ? { failed } : {}), stdout: stdout.text() };
}

// Local stages are processes; a remote segment is one ssh process running the stage script.
function plan(p: Pipeline, o: RunPipelineOptions): Proc[] {
  const wrap = (argv: readonly string[]): string[] => (o.pdeathsig ? ['setpriv', '--pdeathsig', 'KILL', '--', ...argv] : [...argv]);
  return segmentsOf(p).flatMap((seg, segIndex): Proc[] => {
    if (seg.endpoint.kind === 'local') {
      return seg.stages.map((s) => ({
        argv: wrap(s.stage.argv),
        units: [{ index: s.index, name: shellJoin(s.stage.argv), role: s.stage.role, endpoint: seg.endpoint }],
        killedByUs: false,
        stderr: new TailBuffer(),
      }));
    }
    const tag = newTag();
    const remote = remoteArgv(
      tag,
      seg.stages.map((s) => ({ index: s.index, argv: s.stage.argv })),
    );
    const ssh = { index: undefined, name: `ssh to ${placeLabel(seg.endpoint)}`, role: 'ssh' as const, endpoint: seg.endpoint };
    const stages = seg.stages.map((s) => ({ index: s.index, name: shellJoin(s.stage.argv), role: s.stage.role, endpoint: seg.endpoint }));
    // The connection sits between the remote stages and this host: after them when they feed us.
    const units = segIndex === 0 && p.stages.length > seg.stages.length ? [...stages, ssh] : [ssh, ...stages];
    return [{ argv: wrap(o.ssh(seg.endpoint, remote)), units, tag, killedByUs: false, stderr: new TailBuffer() }];
  });
}

// Wait for every process. After the first failure the others get `graceMs` to end on their
// own (their own exit status names the cause best), then SIGTERM, then SIGKILL (the process
// layer's STOP_GRACE_MS later). An interrupted run gives no such grace: the process layer
// stops every stage at once (SIGTERM, then SIGKILL), and they count as stopped by us.
async function supervise(procs: Proc[], graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const failed = (): void => {
    timer ??= setTimeout(() => {
      for (const p of procs) {
        if (p.code !== undefined) continue;
        p.killedByUs = true;
        p.child!.kill('SIGTERM');
      }
    }, graceMs);
  };
  await Promise.all(
    procs.map(async (p) => {
      const exit = await p.child!.exit;
      if (exit.startError) p.stderr.push(Buffer.from(`${exit.startError}\n`));
      if (exit.canceled) p.killedByUs = true;
      p.code = exit.exitCode;
      if (p.code !== 0) failed();
    }),
  );
  clearTimeout(timer);
}

function unitsOf(p: Proc): Unit[] {
  const text = p.stderr.text();
  if (!p.tag) {
    const u = p.units[0]!;
    return [{ ...u, code: p.code, killedByUs: p.killedByUs && p.code !== 0, stderr: text }];
  }
  const { statuses, text: rest } = parseStatuses(text, p.tag);
  return p.units.map((u) => {
    if (u.role === 'ssh') return { ...u, code: p.code, killedByUs: p.killedByUs && p.code !== 0, stderr: rest };
    return { ...u, code: statuses.get(u.index!), killedByUs: false, stderr: rest };
  });
}

import { parentOf } from '../../domain/dataset-name.js';
import { bytesText } from '../../domain/units.js';
import { type Endpoint, placeLabel } from '../../domain/endpoint.js';
import { HoldfastError } from '../../domain/errors.js';
import { type PairPlan, type Step, type Transfer, isTransfer } from '../../domain/replication/types.js';
import type { AppContext } from '../context.js';
import { messageOf } from '../failures.js';
import type { SendJob } from './jobs.js';
import { type RateLimit, transferPipeline } from './pipeline.js';
import type { CompressorSpec, FailureKind, PipelineOutcome, SendPorts, TransferWatch } from './ports.js';
import type { PairReport, TransferRecord } from './report.js';
import { runCommand, stepCommands } from './steps.js';
import type { StreamFlag, ZfsSingle } from '../../domain/zfs-command.js';
import { within } from '../activity.js';
import { transferDoing } from './interrupt.js';

// One transfer as progress shows it: the places as written, and the size estimate when it can
// be compared with the bytes counted (pv on this host, or a local zfs process's I/O).
export interface TransferInfo {
  readonly source: string; // "tank/data" or "ssh:22:root@web1:tank/data"
  readonly snapshot: string; // the snapshot the stream ends at, without "@"
  readonly dest: string;
  readonly sizeBytes?: number; // zfs send -nvP
  readonly pv: boolean; // pv -n counts the stream (its lines come to onStderrLine)
}

// Progress hooks the CLI renders (a meter on a TTY, a line a minute in a log); the log line
// per finished transfer is ours. Transfers run side by side: each start has its own end.
export interface SendEvents {
  transferStart?(info: TransferInfo): Omit<TransferWatch, 'watchStderr'>;
  transferEnd?(info: { readonly ok: boolean; readonly transfer: TransferInfo }): void; // the object transferStart got
}

// What every pair of one job shares.
export interface JobEnv {
  readonly ctx: AppContext;
  readonly ports: SendPorts;
  readonly job: SendJob;
  readonly tag: string; // hold tag
  readonly bookmark: string; // the destination's bookmark name on the source (OpenZFS)
  readonly compressor?: CompressorSpec;
  readonly stream: readonly StreamFlag[]; // -L -e -c, where both ends support them
  readonly storedCompressed: (sourceDataset: string) => boolean; // -c sends it compressed: no ssh compressor
  readonly spaceCheck: boolean; // size a full send and compare with the destination's available
  readonly mbuffer: { readonly source: boolean; readonly dest: boolean };
  readonly pv: boolean;
  readonly limit?: RateLimit; // bwlimit and its program on the sending host
  readonly resumable: boolean;
  readonly estimate: boolean; // ask zfs send -nvP for sizes
  readonly events: SendEvents;
  readonly where: (e: Endpoint, dataset: string) => string; // as written: "ssh:22:root@nas:pool/x"
}

// A transfer or command failed; `retryable` for transient causes only (ssh, receive).
export class StepFailed extends HoldfastError {
  override name = 'StepFailed';
  constructor(
    message: string,
    readonly kind: FailureKind,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const PERMANENT: readonly FailureKind[] = ['out-of-space', 'not-found', 'stale-token', 'base-mismatch', 'dest-modified'];

// Run a pair's steps; on a transient failure wait, re-plan from a fresh listing, and go again
// (retries × retry_interval, as pyznap). Conflicts never get here: they are plan outcomes.
export async function executePair(env: JobEnv, first: PairPlan, replan: () => Promise<PairPlan>): Promise<PairReport> {
  const { job, ctx } = env;
  let plan = first;
  const commands: string[] = [];
  const transfers: TransferRecord[] = [];
  const settled = (p: PairPlan, attempts: number): PairReport => ({
    plan: p,
    status: p.outcome === 'up-to-date' ? 'sent' : p.outcome === 'skip' ? 'skipped' : 'conflict',
    commands,
    transfers,
    attempts,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      let looked = false;
      for (let i = 0; i < plan.steps.length; i++) {
        const step = plan.steps[i]!;
        await execStep(env, plan, step, commands, transfers);
        // An abandoned partial receive takes a half-made dataset along, but a forced one leaves
        // the dataset it was overwriting: look again, so one that stays is never received into.
        if (step.kind === 'abort-resume' && !looked) {
          looked = true;
          plan = await replan();
          if (plan.outcome !== 'send') return settled(plan, attempt);
          i = -1;
        }
      }
      return { plan, status: 'sent', commands, transfers, attempts: attempt };
    } catch (e) {
      const failed = e instanceof StepFailed ? e : new StepFailed(messageOf(e), 'other', false);
      if (!failed.retryable || attempt > job.options.retries) {
        const last = transfers[transfers.length - 1]?.step;
        const reached = last ? (last.kind === 'full' ? last.snapshot : last.to) : undefined;
        return { plan, status: 'failed', commands, transfers, attempts: attempt, error: failed.message, ...(reached ? { reached } : {}) };
      }
      const s = job.options.retryIntervalSec;
      ctx.log.event({
        kind: 'retrying',
        dataset: env.where(job.source.endpoint, plan.source),
        message: failed.message,
        inSec: s,
        attempt,
        retries: job.options.retries,
      });
      await env.ports.sleep(s * 1000);
      plan = await replan();
      if (plan.outcome !== 'send') return settled(plan, attempt + 1);
    }
  }
}

// The commands of a plan without running them (--dry-run).
export async function describePair(env: JobEnv, plan: PairPlan): Promise<{ commands: string[]; transfers: TransferRecord[] }> {
  const commands: string[] = [];
  const transfers: TransferRecord[] = [];
  const dest = env.ports.replication(env.job.dest.endpoint);
  for (const step of plan.steps) {
    if (!isTransfer(step)) {
      for (const c of stepCommands(step, plan.dest, env.tag)) commands.push(dest.print(c));
      continue;
    }
    const t = await shape(env, plan, step);
    if (step.kind === 'full' && step.force) commands.push(dest.print(unmountOf(plan)));
    commands.push(t.printed);
    transfers.push({ step, pipeline: t.printed, ...(t.size !== undefined ? { estimateBytes: t.size } : {}) });
  }
  return { commands, transfers };
}

async function execStep(env: JobEnv, plan: PairPlan, step: Step, commands: string[], transfers: TransferRecord[]): Promise<void> {
  const { job, ports } = env;
  const dest = ports.replication(job.dest.endpoint);
  if (!isTransfer(step)) {
    const cmds = stepCommands(step, plan.dest, env.tag);
    const printed = cmds.map((c) => dest.print(c));
    commands.push(...printed);
    try {
      for (const c of cmds) await runCommand(dest, c);
      env.ctx.log.event({ kind: 'dest-step', destination: env.where(job.dest.endpoint, plan.dest), ...stepWhy(step), commands: printed });
    } catch (e) {
      const z = e as { stderr?: unknown; exitCode?: unknown };
      const kind =
        typeof z.stderr === 'string' ? ports.classify(z.stderr, [], typeof z.exitCode === 'number' ? z.exitCode : 1).kind : 'other';
      throw new StepFailed(messageOf(e), kind, kind === 'ssh');
    }
    return;
  }
  const t = await shape(env, plan, step);
  if (step.kind === 'full' && env.spaceCheck && t.size !== undefined) await checkSpace(env, plan, t.size);
  if (step.kind === 'full' && step.force) {
    const unmount = unmountOf(plan);
    commands.push(dest.print(unmount));
    await dest.tryRun(unmount);
  }
  commands.push(t.printed);
  const info: TransferInfo = {
    source: env.where(job.source.endpoint, plan.source),
    snapshot: stepTo(step),
    dest: env.where(job.dest.endpoint, plan.dest),
    pv: t.pvIndex !== undefined,
    ...(t.size !== undefined && !t.pvCompressed ? { sizeBytes: t.size } : {}),
  };
  const label = `${info.source}@${info.snapshot} → ${info.dest}`;
  const doing = transferDoing(label, step, env.resumable || step.kind === 'resume');
  let r = await within(env.ctx.during, doing, () => run(env, t, info));
  if (!r.ok && step.kind === 'incremental' && kindOf(env, r) === 'dest-modified') {
    // Changed since its newest snapshot (mounted, atime): roll back to the base, never past it.
    const destBase = step.bookmark ? plan.base! : step.from; // a bookmark marks the destination's base
    env.ctx.log.event({ kind: 'rollback', destination: env.where(job.dest.endpoint, plan.dest), snapshot: destBase });
    const rollback: ZfsSingle = { op: 'rollback', snapshot: `${plan.dest}@${destBase}` };
    commands.push(dest.print(rollback));
    try {
      await dest.run(rollback);
      r = await within(env.ctx.during, doing, () => run(env, t, info));
    } catch (e) {
      throw new StepFailed(`${messageOf(e)} (newer snapshots on the destination: send again to see the conflict)`, 'dest-modified', false);
    }
  }
  if (!r.ok) throw failure(env, r);
  const bytes = ports.argv.received(r.stdout);
  transfers.push({
    step,
    pipeline: t.printed,
    ...(t.size !== undefined ? { estimateBytes: t.size } : {}),
    ...(bytes !== undefined ? { bytes } : {}),
    ms: r.ms,
  });
  env.ctx.log.event({
    kind: 'sent',
    dataset: info.source,
    snapshot: info.snapshot,
    destination: info.dest,
    transfer: step.kind,
    ...(step.kind === 'incremental' ? { flag: step.flag, from: step.from, ...(step.bookmark ? { fromBookmark: true } : {}) } : {}),
    ...(bytes !== undefined ? { bytes } : t.size !== undefined ? { estimateBytes: t.size } : {}),
    ms: r.ms,
  });
}

async function shape(
  env: JobEnv,
  plan: PairPlan,
  step: Transfer,
): Promise<{
  pipeline: ReturnType<typeof transferPipeline>['pipeline'];
  pvIndex?: number;
  pvCompressed?: boolean;
  printed: string;
  size?: number;
}> {
  const { job, ports } = env;
  const send = { raw: job.options.raw, props: job.options.props, stream: env.stream };
  const size =
    env.estimate || (env.spaceCheck && step.kind === 'full')
      ? await ports.replication(job.source.endpoint).estimate(ports.argv.estimate(step, plan.source, send))
      : undefined;
  const built = transferPipeline(
    {
      step,
      source: { endpoint: job.source.endpoint, dataset: plan.source },
      dest: { endpoint: job.dest.endpoint, dataset: plan.dest },
      send,
      receive: { mount: job.options.mount, resumable: env.resumable || step.kind === 'resume', force: step.kind === 'full' && step.force },
      ...(env.compressor && !env.storedCompressed(plan.source) ? { compressor: env.compressor } : {}),
      mbuffer: env.mbuffer,
      ...(size !== undefined ? { sizeBytes: size } : {}),
      pv: env.pv,
      ...(env.limit ? { limit: env.limit } : {}),
    },
    ports.argv,
  );
  return { ...built, printed: ports.printPipeline(built.pipeline), ...(size !== undefined ? { size } : {}) };
}

async function run(
  env: JobEnv,
  t: { pipeline: Parameters<SendPorts['runPipeline']>[0]; pvIndex?: number },
  info: TransferInfo,
): Promise<PipelineOutcome> {
  const watch = env.events.transferStart?.(info) ?? {};
  const r = await env.ports.runPipeline(t.pipeline, { ...watch, ...(t.pvIndex !== undefined ? { watchStderr: t.pvIndex } : {}) });
  env.events.transferEnd?.({ ok: r.ok, transfer: info });
  return r;
}

function kindOf(env: JobEnv, r: PipelineOutcome): FailureKind {
  const u = r.failed;
  if (!u) return 'other';
  if (u.role === 'ssh') return 'ssh';
  return env.ports.classify(u.stderr, [], u.code ?? 1).kind;
}

// What fixes the failed stage: ssh's host key command for a refused host key, or where to find
// the missing zfs allow permission.
function sshFix(env: JobEnv, r: PipelineOutcome): string | undefined {
  const u = r.failed!;
  if (u.role !== 'ssh') return env.ports.classify(u.stderr, [], u.code ?? 1).fix;
  return u.endpoint.kind === 'ssh' ? env.ports.classify(u.stderr, [], u.code ?? 255, u.endpoint).fix : undefined;
}

// "zfs receive -u backup/a (on ssh::root@host) exited 1: cannot receive …": the stage and its stderr.
function failure(env: JobEnv, r: PipelineOutcome): StepFailed {
  const u = r.failed!;
  const kind = kindOf(env, r);
  const where = u.endpoint.kind === 'ssh' && u.role !== 'ssh' ? ` (on ${placeLabel(u.endpoint)})` : '';
  const status = u.code === undefined ? 'did not report its exit status' : `exited ${u.code}`;
  const tail = u.stderr
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-3)
    .join(' ⏎ ');
  const retryable = kind === 'ssh' || (u.role === 'receive' && !PERMANENT.includes(kind)) || (u.role !== 'send' && kind === 'corrupt');
  const fix = sshFix(env, r);
  const what = u.role === 'ssh' ? u.name : `stage ${u.index === undefined ? '' : `${u.index + 1} `}${u.name}${where}`; // "ssh to ssh:22:root@nas"
  return new StepFailed(`${what} ${status}${tail ? `: ${tail}` : ''}${fix ? `; ${fix}` : ''}`, kind, retryable);
}

// A full stream that cannot fit is refused before anything is sent: the estimate against the
// destination's `available` (the dataset's when a forced receive replaces it, else its nearest
// existing parent's). Estimates run a little short of the stream, never far over it.
async function checkSpace(env: JobEnv, plan: PairPlan, size: number): Promise<void> {
  const dest = env.ports.replication(env.job.dest.endpoint);
  const chain: string[] = [];
  for (let d: string | undefined = plan.dest; d; d = parentOf(d)) chain.push(d);
  const props = await dest.inspect(chain, ['available']);
  const at = chain.find((d) => props.get(d)?.available !== undefined);
  const available = at ? Number(props.get(at)!.available) : Number.NaN;
  if (!at || !(available < size)) return;
  throw new StepFailed(
    `${env.where(env.job.dest.endpoint, plan.dest)}: the full stream needs about ${bytesText(size)} (zfs send -nvP, ${size} bytes) but ${at} has ${bytesText(available)} available (${available} bytes); nothing was sent`,
    'out-of-space',
    false,
  );
}

// What a destination step is about, for its log event.
const stepWhy = (s: Step): { step: string; why?: string; snapshots?: number } =>
  s.kind === 'abort-resume'
    ? { step: s.kind, why: s.why }
    : s.kind === 'destroy-dest'
      ? { step: s.kind, snapshots: s.snapshots.length }
      : { step: s.kind };

const stepTo = (s: Transfer): string => (s.kind === 'full' ? s.snapshot : s.to);

// A forced full receive swaps the dataset, which needs it unmounted (best effort: zfs-fuse
// answers "I/O error" when it is mounted and was created moments ago).
const unmountOf = (plan: PairPlan): ZfsSingle => ({ op: 'unmount', dataset: plan.dest });

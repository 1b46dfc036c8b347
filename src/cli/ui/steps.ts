import { createHash } from 'node:crypto';
import { messageOf } from '../../app/failures.js';
import type { Logger } from '../../app/ports.js';
import type { SendEvents } from '../../app/send/transfer.js';
import { jobsFromConfig } from '../../app/send/jobs.js';
import { sendWork } from '../../app/send/request.js';
import { runSend } from '../../app/send/run.js';
import { runSnap } from '../../app/snap/cycle.js';
import { type CleanupRun, executeCleanup, planCleanupRun } from '../../app/views/cleanup.js';
import type { PolicyFile } from '../../config/policy-file.js';
import type { CommandEnv } from '../compose/env.js';
import { sendPorts } from '../compose/send.js';
import { sshSettingsFrom } from '../compose/ssh.js';
import { sendToStores } from '../compose/store.js';
import { viewSsh } from '../compose/views.js';
import { EXIT, exitCodeOf } from '../exit-codes.js';
import { renderCleanup } from '../render/compare-cleanup.js';
import { progressEvent, progressLogEvents } from '../render/send-progress.js';
import { renderSendPlan, sendSummary } from '../render/send.js';
import { renderCommands, renderExplain } from '../render/snap.js';
import { styleFor } from '../render/tree-style.js';
import { CONFIG_SEND } from '../../app/send/request.js';
import { type Job, teeLog } from './jobs.js';

// The wizard's three steps, as abgleich runs them: snap, send, cleanup. Each has a plan (a dry
// run: the same app functions and the same text as the CLI's --dry-run) and a run (the same
// functions, the same locks, the log teed into the job). `fresh` gives a new CommandEnv per
// call: the config is read again and every listing is new.

export type StepName = 'snap' | 'send' | 'cleanup';
export type Fresh = (dryRun: boolean) => CommandEnv;

export interface StepPlan {
  readonly lines: readonly string[];
  readonly explain: readonly string[];
  readonly nothing: boolean;
  readonly digest: string; // what the user saw: a cleanup runs only the plan that was shown
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');
const digestOf = (x: unknown): string => createHash('sha256').update(JSON.stringify(x)).digest('base64url');

export async function planStep(fresh: Fresh, step: StepName): Promise<StepPlan> {
  const env = fresh(true);
  try {
    const file = await env.config();
    if (step === 'snap') {
      const { ctx } = await env.app(sshSettingsFrom(file));
      const report = await runSnap({ ...ctx, dryRun: true }, file.trees, { take: true, clean: true });
      const out = lines(renderCommands(report));
      return { lines: out, explain: lines(renderExplain(report)), nothing: out.length === 0, digest: digestOf(out) };
    }
    if (step === 'send') {
      const work = sendWork(file, CONFIG_SEND);
      const c = await env.app(sshSettingsFrom(file, { keys: work.identities }));
      const report = await runSend(c.ctx, sendPorts(c, env), work.jobs, work.problems, sendOptions(true), {}, file);
      const stores = await sendToStores(env, c, work.stores);
      const out = [...lines(renderSendPlan(report)), ...lines(stores.text)];
      return { lines: out, explain: [], nothing: work.jobs.length + work.stores.length === 0, digest: digestOf(out) };
    }
    const runs = await cleanupRuns(env, file);
    const out = runs.flatMap((r) => lines(renderCleanup(r, styleFor(false), true)));
    const count = runs.reduce((n, r) => n + r.commands.length, 0);
    return { lines: out, explain: [], nothing: count === 0, digest: digestOf(runs.map((r) => r.commands)) };
  } finally {
    env.close();
  }
}

// Run a step into its job. Errors end the job with the CLI's words ("holdfast: …").
export async function runStep(fresh: Fresh, step: StepName, job: Job, shownDigest?: string): Promise<void> {
  const env = fresh(false);
  try {
    const code = await (step === 'snap' ? snap(env, job) : step === 'send' ? send(env, job) : cleanup(env, job, shownDigest));
    job.finish({ ok: code === EXIT.ok, code, text: code === EXIT.ok ? `${step}: done` : `${step}: finished with exit code ${code}` });
  } catch (e) {
    const text = `holdfast: ${messageOf(e)}`;
    job.push({ level: 'error', text });
    job.finish({ ok: false, code: exitCodeOf(e), text });
  } finally {
    env.close();
  }
}

async function snap(env: CommandEnv, job: Job): Promise<number> {
  const file = await env.config();
  await env.lock('snap'); // as `holdfast snap`: refused while another snap (or cleanup) runs
  const c = await env.app(sshSettingsFrom(file));
  const ctx = { ...c.ctx, log: teeLog(c.ctx.log, job) };
  const started = ctx.clock.nowMs();
  const report = await runSnap({ ...ctx, dryRun: false }, file.trees, { take: true, clean: true });
  const sum = (f: (h: (typeof report.hosts)[number]) => number): number => report.hosts.reduce((n, h) => n + f(h), 0);
  const failed = [...new Set(report.failures.map((f) => f.target))];
  ctx.log.event({
    kind: 'snap-summary',
    dryRun: false,
    taken: sum((h) => h.taken),
    destroyed: sum((h) => h.destroyed),
    datasets: sum((h) => h.policies.size),
    unchanged: sum((h) => h.unchanged ?? 0),
    ms: ctx.clock.nowMs() - started,
    calls: (c.runner.spawned.get('zfs') ?? 0) + (c.runner.spawned.get('btrfs') ?? 0),
    failed,
  });
  return failed.length > 0 ? EXIT.partial : EXIT.ok;
}

async function send(env: CommandEnv, job: Job): Promise<number> {
  const file = await env.config();
  const work = sendWork(file, CONFIG_SEND);
  const c = await env.app(sshSettingsFrom(file, { keys: work.identities }));
  const ctx = { ...c.ctx, log: teeLog(c.ctx.log, job) };
  const ports = sendPorts(c, env); // the destinations' locks, as `holdfast send` takes them
  const started = ctx.clock.nowMs();
  const report = await runSend(ctx, ports, work.jobs, work.problems, sendOptions(false), uiProgress(ctx.log), file);
  const stores = await sendToStores(env, { ...c, ctx }, work.stores);
  const cpu = process.cpuUsage();
  const summary = sendSummary(report, ctx.clock.nowMs() - started, ports.spawned(), (cpu.user + cpu.system) / 1e6);
  ctx.log.event(summary.event);
  const failures = report.failures.length + stores.failures.length;
  return failures > 0 ? EXIT.partial : report.busy.length + stores.busy.length > 0 ? EXIT.locked : EXIT.ok;
}

async function cleanup(env: CommandEnv, job: Job, shownDigest: string | undefined): Promise<number> {
  const file = await env.config();
  await env.lock('snap'); // as `holdfast cleanup`: never alongside snap's own clean
  const c = await env.app(viewSsh(file, {}));
  const ctx = { ...c.ctx, log: teeLog(c.ctx.log, job) };
  const runs = await cleanupRuns(env, file);
  // The page showed a plan; destroy only that one (a snap or send since may have changed it).
  if (shownDigest !== undefined && shownDigest !== digestOf(runs.map((r) => r.commands))) {
    job.push({ level: 'error', text: 'cleanup: the plan changed since the page showed it; nothing was destroyed (look at the new plan)' });
    return EXIT.partial;
  }
  let failed = 0;
  for (const run of runs) {
    const planned = run.commands.length;
    if (planned === 0) continue;
    const r = await executeCleanup(ctx, run);
    for (const cmd of run.commands) job.push({ level: 'info', text: cmd });
    ctx.log.event({ kind: 'cleanup-summary', destroyed: r.destroyed, planned, failed: r.failures.map((f) => f.target) });
    failed += r.failures.length;
  }
  return failed > 0 ? EXIT.partial : EXIT.ok;
}

// Every section with a zfs destination, as `holdfast cleanup SECTION` plans it.
async function cleanupRuns(env: CommandEnv, file: PolicyFile): Promise<CleanupRun[]> {
  const { ctx } = await env.app(viewSsh(file, {}));
  const sections = [...new Set(jobsFromConfig(file).jobs.flatMap((j) => (j.section ? [j.section.name] : [])))];
  const out: CleanupRun[] = [];
  for (const s of sections) out.push(await planCleanupRun(ctx, file, s));
  return out;
}

const sendOptions = (dryRun: boolean) => ({ dryRun, force: false, clean: true, progress: false });

// Progress in the page: a line when a transfer starts, then one a second with bytes and rate
// (the same progress event as a log's), replaced in place (one line per transfer).
function uiProgress(log: Logger): SendEvents {
  const every = progressLogEvents(log, 1000);
  return {
    transferStart: (info) => {
      log.event(progressEvent(info, { elapsedSec: 0, ...(info.sizeBytes ? { sizeBytes: info.sizeBytes } : {}) }));
      return every.transferStart!(info);
    },
    transferEnd: (info) => every.transferEnd!(info),
  };
}

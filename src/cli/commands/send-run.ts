import { existsSync } from 'node:fs';
import type { SendRunOptions } from '../../app/send/env.js';
import { runSend } from '../../app/send/run.js';
import { printCommand } from '../../app/send/steps.js';
import { DEFAULT_DEST_OPTIONS, type DestOptions, jobFromFlags, jobsFromConfig } from '../../app/send/jobs.js';
import type { PolicyFile } from '../../config/policy-file.js';
import type { Body } from '../action.js';
import type { CommandEnv } from '../compose/env.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { checkCompressFlag, checkKeyFlag } from '../flag-checks.js';
import { writeSendTextfile } from '../compose/prometheus.js';
import { progressEvents, progressLogEvents } from '../render/send-progress.js';
import { renderSendPlan, sendReportJson, sendSummary } from '../render/send.js';
import { sendPorts } from '../compose/send.js';
import { sshSettingsFrom } from '../compose/ssh.js';
import { isStoreDest, sendToStores } from '../compose/store.js';

// The options of the command, as commander gives them (they are defined in send.ts).
export interface SendFlags {
  source?: string;
  dest?: string;
  compress?: string;
  key?: string;
  sourceKey?: string;
  destKey?: string;
  exclude?: string[];
  raw?: boolean;
  resume?: boolean;
  destAutoCreate?: boolean;
  retries?: string;
  retryInterval?: string;
  force?: boolean;
  initial?: 'oldest' | 'newest';
  sendTypes?: 'all' | 'kept';
  props?: boolean;
  mount?: boolean;
  clean?: boolean;
  sshOption?: string[];
  sshCipher?: string;
  full?: boolean; // stores only (z3's backup --full)
  snapshot?: string; // stores only (z3's --snapshot)
  prometheus?: string;
  progressInterval?: string; // hidden: seconds between progress lines in a log (tests)
}

// The body of `holdfast send` (registered in send.ts): jobs, wiring, run, report.
export const sendBody: Body<SendFlags> = (env, o) => send(env, o);

async function send(env: CommandEnv, o: SendFlags): Promise<number> {
  const manual = o.source !== undefined || o.dest !== undefined;
  if (manual && (o.source === undefined || o.dest === undefined))
    throw new UsageError(
      `send: ${o.source === undefined ? '-s SOURCE' : '-d DEST'} is missing; give both -s and -d, or neither to send every section with a dest`,
    );
  checkCompressFlag('-c', o.compress, 'send: ');
  for (const [flag, path] of [
    ['-i', o.key],
    ['-j', o.sourceKey],
    ['-k', o.destKey],
  ] as const)
    checkKeyFlag(flag, path, 'send: ');
  // A one-off send needs no config; one that exists still gives keys, policies and the clean.
  const file: PolicyFile | undefined = !manual || existsSync(env.g.config) ? await env.config() : undefined;
  // s3:// and file:// destinations go to the store branch (sendToStores, below). A -s/-d that
  // is no location throws BadLocationError: a usage error (exit 2).
  const built = manual
    ? isStoreDest(o.dest)
      ? { jobs: [], problems: [] }
      : { jobs: [jobFromFlags(o.source!, o.dest!, flagOptions(o))], problems: [] }
    : jobsFromConfig(file!);
  const jobs = built.jobs.map((j) => (manual ? j : { ...j, options: overlay(j.options, o) }));
  // -s ssh:… -d s3://…: the source's identity (-j/-i) as for a zfs job (the store has no ssh side).
  const sshJobs = manual && isStoreDest(o.dest) && o.source?.startsWith('ssh:') ? [jobFromFlags(o.source, o.source, flagOptions(o))] : jobs;
  const c = await env.app(
    sshSettingsFrom(file, {
      keys: sshJobs.flatMap((j) => [[j.dest.endpoint, j.options.destKey] as const, [j.source.endpoint, j.options.sourceKey] as const]),
      options: o.sshOption,
      cipher: o.sshCipher,
    }),
  );
  if (o.prometheus && !env.g.dryRun) env.runFile = { path: o.prometheus, command: 'send' }; // an interrupted run writes it (CommandEnv.endInterrupted)
  const ports = sendPorts(c, env);
  const opts: SendRunOptions = {
    dryRun: env.g.dryRun,
    force: Boolean(o.force),
    clean: o.clean !== false,
    progress: Boolean(process.stderr.isTTY) && !env.g.logJson,
  };
  const started = c.ctx.clock.nowMs();
  const events = opts.progress ? progressEvents(process.stderr) : progressLogEvents(c.ctx.log, intervalMs(o.progressInterval));
  const report = await runSend(c.ctx, ports, jobs, built.problems, opts, events, file);
  const stores = await sendToStores(env, c, file, o);
  if (env.g.json)
    env.out(`${JSON.stringify({ ...(sendReportJson(report, printCommand(ports)) as object), stores: stores.json }, null, 2)}\n`);
  else if (opts.dryRun) env.out((jobs.length > 0 || stores.reports.length === 0 ? renderSendPlan(report) : '') + stores.text);
  const cpu = process.cpuUsage();
  const summary = sendSummary(report, c.ctx.clock.nowMs() - started, ports.spawned(), (cpu.user + cpu.system) / 1e6);
  env.outcome = { command: 'send', counts: summary.counts, failures: [...report.failures, ...stores.failures] };
  if (jobs.length > 0 || stores.reports.length === 0) c.ctx.log.event(summary.event); // a store-only run logs its own line
  if (jobs.length === 0 && built.problems.length === 0 && stores.reports.length === 0)
    c.ctx.log.event({ kind: 'nothing-to-do', command: 'send', config: env.g.config });
  const code =
    report.failures.length + stores.failures.length > 0
      ? EXIT.partial
      : report.busy.length + stores.busy.length > 0
        ? EXIT.locked
        : EXIT.ok;
  if (o.prometheus && !opts.dryRun && !env.interrupted)
    await writeSendTextfile(o.prometheus, c.ctx, jobs, report, env.startedMs, code, (e) => c.ctx.log.event(e));
  return code;
}

// Progress lines in a log: one a minute (a test asks for less with the hidden flag).
function intervalMs(text = '60'): number {
  const s = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(s > 0)) throw new UsageError(`--progress-interval ${text}: give a number of seconds greater than 0`);
  return s * 1000;
}

// The flags of a one-off send, pyznap's -i rule included.
function flagOptions(o: SendFlags): DestOptions {
  const destSsh = o.dest?.startsWith('ssh:') ?? false;
  const sourceKey = o.sourceKey ?? (!destSsh && o.source?.startsWith('ssh:') ? o.key : undefined);
  const destKey = o.destKey ?? (destSsh ? o.key : undefined);
  return overlay(
    {
      ...DEFAULT_DEST_OPTIONS,
      ...(o.compress ? { compress: o.compress.toLowerCase() } : {}),
      raw: Boolean(o.raw),
      resume: Boolean(o.resume),
      autoCreate: Boolean(o.destAutoCreate),
      retries: count(o.retries, '--retries'),
      retryIntervalSec: count(o.retryInterval, '--retry-interval'),
      exclude: o.exclude ?? [],
      ...(sourceKey ? { sourceKey } : {}),
      ...(destKey ? { destKey } : {}),
    },
    o,
  );
}

// Flags that also apply on top of the config's per-destination settings.
function overlay(d: DestOptions, o: SendFlags): DestOptions {
  return {
    ...d,
    ...(o.force ? { force: true } : {}),
    ...(o.initial ? { initial: o.initial } : {}),
    ...(o.sendTypes ? { sendTypes: o.sendTypes } : {}),
    ...(o.props ? { props: true } : {}),
    ...(o.mount ? { mount: true } : {}),
  };
}

function count(v: string | undefined, flag: string): number {
  if (v === undefined) return 0;
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} "${v}" is not a whole number`);
  return Number(v);
}

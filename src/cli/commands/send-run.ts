import { existsSync } from 'node:fs';
import type { SendRunOptions } from '../../app/send/env.js';
import { type SendRequest, sendWork } from '../../app/send/request.js';
import { runSend } from '../../app/send/run.js';
import { printCommand } from '../../app/send/steps.js';
import { emptyPolicy } from '../../config/normalize.js';
import { parseParallel } from '../../config/keys/send.js';
import type { Body } from '../action.js';
import type { CommandEnv } from '../compose/env.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { parseRate } from '../../domain/units.js';
import { checkCompressFlag, checkKeyFlag } from '../flag-checks.js';
import { writeSendTextfile } from '../compose/prometheus.js';
import { progressEvents, progressLogEvents } from '../render/send-progress.js';
import { renderSendPlan, sendReportJson, sendSummary } from '../render/send.js';
import { sendPorts } from '../compose/send.js';
import { sshSettingsFrom } from '../compose/ssh.js';

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
  bwlimit?: string;
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
  parallel?: string;
  progressInterval?: string; // hidden: seconds between progress lines in a log (tests)
}

// The body of `holdfast send` (registered in send.ts): jobs, wiring, run, report.
export const sendBody: Body<SendFlags> = (env, o) => send(env, o);

async function send(env: CommandEnv, o: SendFlags): Promise<number> {
  const request = requestOf(o);
  // A one-off send needs no config; one that exists still gives keys, policies and the clean.
  const manual = request.source !== undefined;
  const file = !manual || existsSync(env.g.config) ? await env.config() : emptyPolicy(env.g.config);
  // A -s/-d that is no location throws BadLocationError: a usage error (exit 2).
  const work = sendWork(file, request);
  if ((o.full || o.snapshot !== undefined) && work.stores.length === 0)
    throw new UsageError('send: --full and --snapshot apply to s3:// and file:// destinations only');
  const c = await env.app(sshSettingsFrom(file, { keys: work.identities, options: o.sshOption, cipher: o.sshCipher }));
  if (o.prometheus && !env.g.dryRun) env.runFile = { path: o.prometheus, command: 'send' }; // an interrupted run writes it (CommandEnv.endInterrupted)
  const ports = sendPorts(c, env);
  const opts: SendRunOptions = {
    dryRun: env.g.dryRun,
    force: Boolean(o.force),
    clean: o.clean !== false,
    progress: Boolean(process.stderr.isTTY) && !env.g.logJson,
    parallel: { total: parallelFlag(o.parallel) ?? file.parallel.total, perHost: file.parallel.perHost },
  };
  const { jobs } = work;
  const started = c.ctx.clock.nowMs();
  const events = opts.progress ? progressEvents(process.stderr) : progressLogEvents(c.ctx.log, intervalMs(o.progressInterval));
  const report = await runSend(c.ctx, ports, jobs, work.problems, opts, events, file);
  // The stores' adapters (crypto, object store) load only for a run that has a store job.
  const stores =
    work.stores.length > 0
      ? await (await import('../compose/store.js')).sendToStores(env, c, work.stores)
      : { reports: [], failures: [], busy: [], text: '', json: [] };
  if (env.g.json)
    env.out(`${JSON.stringify({ ...(sendReportJson(report, printCommand(ports)) as object), stores: stores.json }, null, 2)}\n`);
  else if (opts.dryRun) env.out((jobs.length > 0 || stores.reports.length === 0 ? renderSendPlan(report) : '') + stores.text);
  const cpu = process.cpuUsage();
  const summary = sendSummary(report, c.ctx.clock.nowMs() - started, ports.spawned(), (cpu.user + cpu.system) / 1e6);
  env.outcome = { command: 'send', counts: summary.counts, failures: [...report.failures, ...stores.failures] };
  if (jobs.length > 0 || stores.reports.length === 0) c.ctx.log.event(summary.event); // a store-only run logs its own line
  if (jobs.length === 0 && work.problems.length === 0 && stores.reports.length === 0)
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

// The flags as a request: -s and -d together or not at all, known compressors, key files that
// exist, whole numbers.
function requestOf(o: SendFlags): SendRequest {
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
  return {
    ...(manual ? { source: o.source!, dest: o.dest! } : {}),
    ...(o.compress ? { compress: o.compress } : {}),
    ...(o.key ? { key: o.key } : {}),
    ...(o.sourceKey ? { sourceKey: o.sourceKey } : {}),
    ...(o.destKey ? { destKey: o.destKey } : {}),
    ...(o.exclude ? { exclude: o.exclude } : {}),
    raw: Boolean(o.raw),
    resume: Boolean(o.resume),
    autoCreate: Boolean(o.destAutoCreate),
    // Only a one-off send reads these (the config has its own per destination).
    retries: manual ? count(o.retries, '--retries') : 0,
    retryIntervalSec: manual ? count(o.retryInterval, '--retry-interval') : 0,
    force: Boolean(o.force),
    ...(o.initial ? { initial: o.initial } : {}),
    ...(o.sendTypes ? { sendTypes: o.sendTypes } : {}),
    props: Boolean(o.props),
    mount: Boolean(o.mount),
    full: Boolean(o.full),
    ...(o.snapshot !== undefined ? { snapshot: o.snapshot } : {}),
    prune: o.clean !== false,
    ...(o.bwlimit !== undefined ? { bwlimit: bwlimitOf(o.bwlimit) } : {}),
  };
}

// --bwlimit 10M (bytes per second, K = 1024, as the bwlimit key), or none to lift the config's.
function bwlimitOf(v: string): number {
  if (v === '0' || v.toLowerCase() === 'none') return 0;
  const n = parseRate(v);
  if (n === undefined)
    throw new UsageError(`send: --bwlimit "${v}" is not a rate; write e.g. 512K, 10M or 1G (bytes per second, K = 1024), or none`);
  return n;
}

// Progress lines in a log: one a minute (a test asks for less with the hidden flag).
function intervalMs(text = '60'): number {
  const s = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(s > 0)) throw new UsageError(`--progress-interval ${text}: give a number of seconds greater than 0`);
  return s * 1000;
}

function parallelFlag(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const p = parseParallel(v);
  if ('error' in p) throw new UsageError(`--parallel: ${p.error}`);
  return p.value;
}

function count(v: string | undefined, flag: string): number {
  if (v === undefined) return 0;
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} "${v}" is not a whole number`);
  return Number(v);
}

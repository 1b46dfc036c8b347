import { formatExposition } from '../../adapters/prometheus/exposition.js';
import { type RunMetrics, runFamilies } from '../../adapters/prometheus/run-metrics.js';
import { readTextfile, writeTextfileAtomic } from '../../adapters/prometheus/textfile.js';
import { lagsOf, runCompare } from '../../app/views/compare.js';
import type { AppContext } from '../../app/context.js';
import type { RunOutcome } from '../../app/notify/summary.js';
import type { SendJob } from '../../app/send/jobs.js';
import type { SendReport } from '../../app/send/report.js';
import { placeLabel } from '../../domain/endpoint.js';
import { messageOf } from '../../app/failures.js';
import type { LogEvent } from '../../app/ports.js';

export interface TextfileRun {
  readonly command: 'snap' | 'send';
  readonly outcome: RunOutcome | undefined; // undefined: the run stopped before it did anything
  readonly startedMs: number;
  readonly endedMs: number;
  readonly exitCode: number;
  readonly bytesByDest?: ReadonlyMap<string, number>;
  readonly lags?: RunMetrics['lags'];
}

// What went wrong with a --prometheus file (send logs it; snap prints it on stderr).
export type TextfileProblem = Extract<LogEvent, { kind: 'textfile-failed' }>;

// `--prometheus FILE` on snap and send: the run's metrics as a node_exporter textfile, written
// atomically. A file that cannot be written is reported on stderr; it never fails the run.
export function writeRunTextfile(path: string, r: TextfileRun, warn: (e: TextfileProblem) => void): void {
  const counts = r.outcome?.counts ?? {};
  const failed = new Set((r.outcome?.failures ?? []).map((f) => f.target)).size;
  const total = counts.datasets ?? 0;
  const metrics: RunMetrics = {
    command: r.command,
    startedMs: r.startedMs,
    endedMs: r.endedMs,
    exitCode: r.exitCode,
    datasets: { ok: Math.max(0, total - failed), failed },
    snapshots: pick(counts, ['taken', 'destroyed', 'unchanged']),
    ...(r.bytesByDest ? { bytesByDest: r.bytesByDest } : {}),
    ...(r.lags ? { lags: r.lags } : {}),
  };
  try {
    writeTextfileAtomic(path, formatExposition(runFamilies(metrics, readTextfile(path))));
  } catch (e) {
    warn({ kind: 'textfile-failed', part: 'file', message: messageOf(e) });
  }
}

function pick(counts: Readonly<Record<string, number>>, keys: readonly string[]): Record<string, number> {
  return Object.fromEntries(keys.filter((k) => counts[k] !== undefined).map((k) => [k, counts[k]!]));
}

// `send --prometheus FILE`: bytes per destination from the report, replication lag per dataset
// from a fresh listing of both sides (one `zfs get` per host, only when the file is asked for).
export async function writeSendTextfile(
  path: string,
  ctx: AppContext,
  jobs: readonly SendJob[],
  report: SendReport,
  startedMs: number,
  exitCode: number,
  warn: (e: TextfileProblem) => void,
): Promise<void> {
  const bytesByDest = new Map<string, number>();
  let datasets = 0;
  for (const j of report.jobs) {
    const dest = placeLabel(j.job.dest.endpoint, j.job.dest.dataset);
    bytesByDest.set(dest, (bytesByDest.get(dest) ?? 0) + j.pairs.flatMap((p) => p.transfers).reduce((n, t) => n + (t.bytes ?? 0), 0));
    datasets += j.pairs.filter((p) => p.status !== 'skipped').length;
  }
  let lags: RunMetrics['lags'] = [];
  try {
    lags = lagsOf(await runCompare(ctx, jobs));
  } catch (e) {
    warn({ kind: 'textfile-failed', part: 'lag', message: messageOf(e) });
  }
  const outcome = { command: 'send', counts: { datasets }, failures: report.failures };
  writeRunTextfile(path, { command: 'send', outcome, startedMs, endedMs: ctx.clock.nowMs(), exitCode, bytesByDest, lags }, warn);
}

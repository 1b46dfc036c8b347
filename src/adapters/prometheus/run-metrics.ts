import { readSamples } from '../../domain/monitor/run-file.js';
import type { MetricFamily, Sample } from './exposition.js';

// What one snap or send run reports to node_exporter (docs/views.md lists every metric).
export interface RunMetrics {
  readonly command: string; // snap | send
  readonly startedMs: number;
  readonly endedMs: number;
  readonly exitCode: number;
  readonly datasets: { readonly ok: number; readonly failed: number };
  readonly snapshots: { readonly taken?: number; readonly destroyed?: number; readonly unchanged?: number };
  readonly bytesByDest?: ReadonlyMap<string, number>; // send: bytes received per destination
  readonly lags?: readonly { readonly dataset: string; readonly dest: string; readonly sec: number }[];
}

const LAST_SUCCESS = 'holdfast_last_success_timestamp_seconds';

// The families of one run. The last success time survives failed runs: it is read back from the
// file the previous run wrote (`previous`), since the file is all the state there is.
export function runFamilies(m: RunMetrics, previous: string): MetricFamily[] {
  const cmd = { command: m.command };
  const before = readSamples(previous).find((s) => s.name === LAST_SUCCESS && s.labels.command === m.command)?.value;
  const lastSuccess = m.exitCode === 0 ? m.endedMs / 1000 : before;
  const g = (name: string, help: string, samples: Sample[]): MetricFamily => ({ name, help, type: 'gauge', samples });
  const snaps = (['taken', 'destroyed', 'unchanged'] as const).filter((k) => m.snapshots[k] !== undefined);
  return [
    g('holdfast_run_duration_seconds', 'Duration of the last holdfast run.', [
      { labels: cmd, value: round3((m.endedMs - m.startedMs) / 1000) },
    ]),
    g('holdfast_run_timestamp_seconds', 'When the last holdfast run ended (Unix time).', [
      { labels: cmd, value: round3(m.endedMs / 1000) },
    ]),
    g(
      'holdfast_run_exit_code',
      'Exit code of the last holdfast run (0 ok, 1 some datasets failed, 2 usage or config error, 3 lock held, 128+N stopped by signal N).',
      [{ labels: cmd, value: m.exitCode }],
    ),
    g(
      LAST_SUCCESS,
      'When a holdfast run last ended without any failure (Unix time).',
      lastSuccess === undefined ? [] : [{ labels: cmd, value: round3(lastSuccess) }],
    ),
    g('holdfast_datasets', 'Datasets the last holdfast run handled, by outcome.', [
      { labels: { ...cmd, status: 'ok' }, value: m.datasets.ok },
      { labels: { ...cmd, status: 'failed' }, value: m.datasets.failed },
    ]),
    g(
      'holdfast_snapshots',
      'Snapshots the last holdfast run took, destroyed, or skipped as unchanged (snap_if_changed, per dataset).',
      snaps.map((k) => ({ labels: { ...cmd, action: k }, value: m.snapshots[k]! })),
    ),
    g(
      'holdfast_send_bytes',
      'Bytes the last holdfast send transferred, per destination.',
      [...(m.bytesByDest ?? [])].map(([dest, value]) => ({ labels: { dest }, value })),
    ),
    g(
      'holdfast_replication_lag_seconds',
      'Age of the oldest source snapshot not yet on the destination (0: up to date), per dataset and destination.',
      (m.lags ?? []).filter((l) => Number.isFinite(l.sec)).map((l) => ({ labels: { dataset: l.dataset, dest: l.dest }, value: l.sec })),
    ),
  ];
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000;

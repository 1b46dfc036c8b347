import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BadMetricError, formatExposition } from '../../src/adapters/prometheus/exposition.js';
import { runFamilies } from '../../src/adapters/prometheus/run-metrics.js';
import { TextfileError, writeTextfileAtomic } from '../../src/adapters/prometheus/textfile.js';
import { readSamples } from '../../src/domain/monitor/run-file.js';

// The node_exporter textfile: exposition format, escaping, atomic replacement, carried state.
const run = {
  command: 'snap',
  startedMs: 1_000_000,
  endedMs: 1_002_500,
  datasets: { ok: 3, failed: 1 },
  snapshots: { taken: 2, destroyed: 1 },
};

describe('exposition format', () => {
  it('writes HELP and TYPE once per family, then its samples, with escaped label values', () => {
    const text = formatExposition([
      {
        name: 'x_bytes',
        help: 'a \\ help\nline',
        type: 'gauge',
        samples: [{ labels: { dest: 'ssh "q"\\p\nq' }, value: 5 }, { value: Number.NaN }],
      },
    ]);
    expect(text).toBe('# HELP x_bytes a \\\\ help\\nline\n# TYPE x_bytes gauge\nx_bytes{dest="ssh \\"q\\"\\\\p\\nq"} 5\nx_bytes NaN\n');
    expect(readSamples(text)[0]!.labels.dest).toBe('ssh "q"\\p\nq');
  });
  it('leaves out families without samples and refuses bad names', () => {
    expect(formatExposition([{ name: 'empty', help: 'h', type: 'gauge', samples: [] }])).toBe('');
    expect(() => formatExposition([{ name: '1bad', help: 'h', type: 'gauge', samples: [{ value: 1 }] }])).toThrow(BadMetricError);
    expect(() => formatExposition([{ name: 'x', help: 'h', type: 'gauge', samples: [{ labels: { 'a-b': '1' }, value: 1 }] }])).toThrow(
      BadMetricError,
    );
  });
});

describe('run metrics', () => {
  it('covers duration, datasets, snapshots, bytes per destination, lag and the last success', () => {
    const text = formatExposition(
      runFamilies(
        {
          ...run,
          command: 'send',
          exitCode: 0,
          bytesByDest: new Map([['root@nas:bak', 4096]]),
          lags: [{ dataset: 'tank/d', dest: 'root@nas:bak/d', sec: 60 }],
        },
        '',
      ),
    );
    const got = readSamples(text).map((s) => `${s.name}${JSON.stringify(s.labels)}=${s.value}`);
    expect(got).toEqual([
      'holdfast_run_duration_seconds{"command":"send"}=2.5',
      'holdfast_run_timestamp_seconds{"command":"send"}=1002.5',
      'holdfast_run_exit_code{"command":"send"}=0',
      'holdfast_last_success_timestamp_seconds{"command":"send"}=1002.5',
      'holdfast_datasets{"command":"send","status":"ok"}=3',
      'holdfast_datasets{"command":"send","status":"failed"}=1',
      'holdfast_snapshots{"command":"send","action":"taken"}=2',
      'holdfast_snapshots{"command":"send","action":"destroyed"}=1',
      'holdfast_send_bytes{"dest":"root@nas:bak"}=4096',
      'holdfast_replication_lag_seconds{"dataset":"tank/d","dest":"root@nas:bak/d"}=60',
    ]);
  });
  it('carries the last success time over a failed run, and has none before the first success', () => {
    const ok = formatExposition(runFamilies({ ...run, exitCode: 0 }, ''));
    const failed = formatExposition(runFamilies({ ...run, endedMs: 9_000_000, exitCode: 1 }, ok));
    expect(readSamples(failed).find((s) => s.name === 'holdfast_last_success_timestamp_seconds')!.value).toBe(1002.5);
    expect(formatExposition(runFamilies({ ...run, exitCode: 1 }, ''))).not.toContain('last_success');
  });
});

describe('atomic textfile', () => {
  it('replaces the file whole and leaves no temporary file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-prom-'));
    const path = join(dir, 'holdfast.prom');
    writeFileSync(path, 'old\n');
    writeTextfileAtomic(path, 'new 1\n');
    expect(readFileSync(path, 'utf8')).toBe('new 1\n');
    expect(readdirSync(dir)).toEqual(['holdfast.prom']);
  });
  it('fails with a typed error (and no debris) where it cannot write', () => {
    expect(() => writeTextfileAtomic('/nonexistent-dir/x.prom', 'x 1\n')).toThrow(TextfileError);
  });
});

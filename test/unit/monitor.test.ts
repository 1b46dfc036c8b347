import { describe, expect, it } from 'vitest';
import type { DatasetState } from '../../src/domain/host-state.js';
import { freshnessChecks, grade, lagCheck } from '../../src/domain/monitor/freshness.js';
import { nagiosReport, perfText, worst } from '../../src/domain/monitor/nagios.js';
import { replicationChecks } from '../../src/domain/monitor/replication.js';
import { runFileCheck } from '../../src/domain/monitor/run-file.js';
import { DEFAULT_THRESHOLDS, mergeThresholds, parseLimits } from '../../src/domain/monitor/thresholds.js';
import { comparePair } from '../../src/domain/views/compare.js';
import { policy, sn } from '../support/state.js';

// monitor's pure parts: thresholds, freshness per type, lag, the Nagios output, run files.
const NOW = 1_800_000_000;
const H = 3600;
const ds = (snaps: readonly (readonly [string, number])[], props: Record<string, string> = {}): DatasetState => ({
  name: 'tank/d',
  type: 'filesystem',
  snapshots: snaps.map(([name, age], i) => ({
    dataset: 'tank/d',
    name,
    createtxg: i + 1,
    guid: `g${i}`,
    userrefs: 0,
    props: { creation: String(NOW - age) },
  })),
  props,
});
const p = policy({ counts: { hourly: 24, daily: 7 } });
const T = DEFAULT_THRESHOLDS;

describe('thresholds', () => {
  it('parses TYPE=AGE lists and rejects anything else', () => {
    expect(parseLimits('hourly=2h, daily=1d12h, lag=0')).toEqual({ limits: { hourly: 7200, daily: 129600, lag: 0 } });
    expect(parseLimits('hourley=2h')).toMatchObject({ error: expect.stringContaining('not a snapshot type') });
    expect(parseLimits('hourly=soon')).toMatchObject({ error: expect.stringContaining('not an age') });
  });
  it('layers defaults, config and flags per measure', () => {
    const t = mergeThresholds(T, { warn: { hourly: 100 } }, { crit: { hourly: 200 } });
    expect([t.warn.hourly, t.crit.hourly, t.warn.daily]).toEqual([100, 200, T.warn.daily]);
  });
  it.each([
    [60, 'OK'],
    [90 * 60, 'WARNING'],
    [6 * H, 'CRITICAL'],
    [Number.NaN, 'UNKNOWN'],
  ] as const)('grades %d s of hourly as %s', (age, status) => expect(grade(age, 'hourly', T).status).toBe(status));
  it('a limit of 0 turns the check off', () =>
    expect(grade(10 * 365 * 86400, 'hourly', mergeThresholds(T, { warn: { hourly: 0 }, crit: { hourly: 0 } })).status).toBe('OK'));
});

describe('freshness per type', () => {
  it.each([
    [
      'fresh',
      [
        [sn('2020-01-01 00:00', 'daily'), 2 * H],
        [sn('2020-01-01 02:00', 'hourly'), 10 * 60],
      ],
      ['OK', 'OK'],
    ],
    [
      'a stale hourly',
      [
        [sn('2020-01-01 00:00', 'daily'), 2 * H],
        [sn('2020-01-01 02:00', 'hourly'), 2 * H],
      ],
      ['WARNING', 'OK'],
    ],
    [
      'a very stale daily',
      [
        [sn('2020-01-01 00:00', 'daily'), 40 * H],
        [sn('2020-01-01 02:00', 'hourly'), 60],
      ],
      ['OK', 'CRITICAL'],
    ],
    ['a missing daily', [[sn('2020-01-01 02:00', 'hourly'), 60]], ['OK', 'CRITICAL']],
  ] as const)('%s', (_, snaps, want) => {
    expect(freshnessChecks('tank/d', ds(snaps), p, T, NOW).map((c) => c.status)).toEqual(want);
  });
  it('a missing dataset is CRITICAL', () =>
    expect(freshnessChecks('tank/x', undefined, p, T, NOW)).toEqual([{ status: 'CRITICAL', message: 'tank/x: dataset does not exist' }]));
  it('an unchanged dataset (snap_if_changed) is fresh however old its snapshots', () => {
    const old = ds([
      [sn('2020-01-01 00:00', 'daily'), 30 * 86400],
      [sn('2020-01-01 00:00', 'hourly'), 30 * 86400],
    ]);
    const checks = freshnessChecks('tank/d', old, p, T, NOW, { changed: false, known: true, why: 'unchanged since @x' });
    expect(checks.map((c) => c.status)).toEqual(['OK', 'OK']);
    expect(checks[0]!.message).toContain('unchanged since @x');
    expect(freshnessChecks('tank/d', old, p, T, NOW, { changed: true, known: false, why: '?' }).map((c) => c.status)).toEqual([
      'CRITICAL',
      'CRITICAL',
    ]);
  });
  it('gives perfdata in seconds with the limits', () => {
    expect(
      freshnessChecks('tank/d', ds([[sn('2020-01-01 02:00', 'hourly'), 60]]), policy({ counts: { hourly: 1 } }), T, NOW)[0]!.perf,
    ).toEqual({ label: 'tank/d hourly', value: 60, uom: 's', warn: 5400, crit: 21600, min: 0 });
  });
});

describe('replication lag', () => {
  const s = ds([
    ['a', 3 * H],
    ['b', 2 * H],
    ['c', 30 * 60],
  ]);
  const t = (names: string[], guid = (i: number) => `g${i}`) => ({
    ...s,
    name: 'bak/d',
    snapshots: s.snapshots.filter((x) => names.includes(x.name)).map((x, i) => ({ ...x, dataset: 'bak/d', guid: guid(i) })),
  });
  const lt = mergeThresholds(T, { warn: { lag: H }, crit: { lag: 4 * H } });
  it.each([
    ['in sync', ['a', 'b', 'c'], 'OK'],
    ['30 minutes behind', ['a', 'b'], 'OK'],
    ['two hours behind', ['a'], 'WARNING'],
  ] as const)('%s', (_, names, status) => {
    expect(lagCheck('x', comparePair('tank/d', 'bak/d', s, t([...names]), undefined, 0, NOW * 1000), lt)!.status).toBe(status);
  });
  it('a missing destination dataset counts from the oldest source snapshot', () => {
    expect(lagCheck('x', comparePair('tank/d', 'bak/d', s, undefined, undefined, 0, NOW * 1000), lt)).toMatchObject({
      status: 'WARNING',
      perf: { value: 3 * H },
    });
  });
  it('a conflict is CRITICAL', () => {
    expect(
      lagCheck(
        'x',
        comparePair(
          'tank/d',
          'bak/d',
          s,
          t(['a'], () => 'other'),
          undefined,
          0,
          NOW * 1000,
        ),
        lt,
      )!.status,
    ).toBe('CRITICAL');
  });
});

describe('a configured destination (issue 10 item 3)', () => {
  const s = ds([
    ['a', 3 * H],
    ['b', 30 * 60],
  ]);
  const view = (dest: DatasetState | undefined, child?: DatasetState) => ({
    label: 'tank/d -> bak/d',
    sourceMissing: false,
    pairs: [
      { label: 'tank/d -> bak/d', pair: comparePair('tank/d', 'bak/d', s, dest, undefined, 0, NOW * 1000) },
      ...(child
        ? [{ label: 'tank/d/c -> bak/d/c', pair: comparePair('tank/d/c', 'bak/d/c', s, undefined, undefined, 1, NOW * 1000) }]
        : []),
    ],
  });
  const synced = { ...s, name: 'bak/d', snapshots: s.snapshots.map((x) => ({ ...x, dataset: 'bak/d' })) };
  it('missing: CRITICAL whatever the lag, one check for the whole tree', () => {
    expect(replicationChecks(view(undefined, s), T)).toEqual([
      {
        status: 'CRITICAL',
        message: 'tank/d -> bak/d: the destination does not exist; nothing has been received (holdfast send replicates it)',
      },
    ]);
  });
  it('present but without a snapshot: CRITICAL (a conflict: send will not overwrite it)', () => {
    expect(replicationChecks(view({ ...synced, snapshots: [] }), T)).toEqual([
      {
        status: 'CRITICAL',
        message: 'tank/d -> bak/d: conflict: the target exists but has no snapshots: send will not overwrite it (--force does)',
      },
    ]);
  });
  it('a host that cannot be listed: UNKNOWN with the reason; a missing source: CRITICAL', () => {
    const down = {
      ...view(undefined),
      pairs: [],
      unlisted: { side: 'destination' as const, error: 'ssh: connect to host nas port 22: Connection refused' },
    };
    expect(replicationChecks(down, T)).toEqual([
      { status: 'UNKNOWN', message: 'tank/d -> bak/d: cannot list the destination: ssh: connect to host nas port 22: Connection refused' },
    ]);
    expect(replicationChecks({ ...view(undefined), pairs: [], sourceMissing: true }, T)[0]!.status).toBe('CRITICAL');
  });
  it('in sync: the lag of every pair', () => {
    expect(replicationChecks(view(synced, s), T).map((c) => c.status)).toEqual(['OK', 'OK']);
  });
});

describe('Nagios output', () => {
  it('orders states as monitoring-plugins do', () => {
    expect(worst(['OK', 'UNKNOWN', 'WARNING'])).toBe('WARNING');
    expect(worst(['UNKNOWN', 'CRITICAL'])).toBe('CRITICAL');
    expect(worst(['OK', 'UNKNOWN'])).toBe('UNKNOWN');
  });
  it('quotes labels and leaves out unset limits', () => {
    expect(perfText({ label: "a b='c'", value: 5.4, uom: 's', warn: 10, min: 0 })).toBe("'a b__c_'=5s;10;;0");
    expect(perfText({ label: 'x', value: 3, uom: '' })).toBe("'x'=3");
  });
  it('prints one status line with perfdata, then the problems, worst first', () => {
    const r = nagiosReport([
      { status: 'OK', message: 'a fine', perf: { label: 'a', value: 1, uom: 's' } },
      { status: 'WARNING', message: 'b old', perf: { label: 'b', value: 2, uom: 's' } },
      { status: 'CRITICAL', message: 'c gone' },
    ]);
    expect(r).toEqual({
      exit: 2,
      text: "HOLDFAST CRITICAL - 1 critical, 1 warning, 1 ok: c gone | 'a'=1s 'b'=2s\nCRITICAL: c gone\nWARNING: b old\n",
    });
    expect(nagiosReport([]).exit).toBe(3);
  });
});

describe('run files', () => {
  const file = (exit: number, failed: number) =>
    `holdfast_run_exit_code{command="snap"} ${exit}\nholdfast_run_timestamp_seconds{command="snap"} ${NOW - 600}\nholdfast_datasets{command="snap",status="failed"} ${failed}\n`;
  it.each([
    [0, 0, 'OK', 'last snap run 10m ago: ok'],
    [1, 2, 'WARNING', 'last snap run 10m ago: 2 datasets failed'],
    [3, 0, 'WARNING', 'last snap run 10m ago: another run held the lock'],
    [2, 0, 'CRITICAL', 'last snap run 10m ago: exit 2'],
    [143, 0, 'WARNING', 'last snap run 10m ago: interrupted by SIGTERM'],
    [130, 0, 'WARNING', 'last snap run 10m ago: interrupted by SIGINT'],
    [129, 0, 'WARNING', 'last snap run 10m ago: interrupted by SIGHUP'],
  ] as const)('exit %d', (exit, failed, status, message) =>
    expect(runFileCheck('f', file(exit, failed), NOW)).toMatchObject({ status, message }),
  );
  it('no file, or not ours, is UNKNOWN', () => {
    expect(runFileCheck('f', undefined, NOW).status).toBe('UNKNOWN');
    expect(runFileCheck('f', 'node_load1 0.5\n', NOW).status).toBe('UNKNOWN');
  });
});

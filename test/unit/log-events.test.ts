import { describe, expect, it } from 'vitest';
import { BACKUP_EVENTS } from '../../src/app/log/backup.js';
import { type LogEvent, type LogKind, RENDER, levelOf, textOf } from '../../src/app/log/events.js';
import { eventLogger } from '../../src/app/log/logger.js';
import type { Level, Renderers } from '../../src/app/log/render.js';
import { RUN_EVENTS } from '../../src/app/log/run.js';
import { SEND_EVENTS } from '../../src/app/log/send.js';
import { SNAP_EVENTS, type SnapEvent } from '../../src/app/log/snap.js';
import { STORE_EVENTS } from '../../src/app/log/store.js';
import { createLogger } from '../../src/infra/logger.js';

// Every kind of event, an example, its level and the exact line the text log printed before the
// events existed (the same words, byte for byte). A kind added without an example here does not
// compile either.
type Example<K extends LogKind> = readonly [Extract<LogEvent, { kind: K }>, Level, string];
const MiB = 1024 * 1024;
const EXAMPLES: { readonly [K in LogKind]: Example<K> } = {
  failed: [
    { kind: 'failed', stage: 'take', target: 'ssh:22:root@nas:t/a', message: 'out of space' },
    'error',
    'take ssh:22:root@nas:t/a: out of space',
  ],
  busy: [
    { kind: 'busy', command: 'send', target: 't/a → b/a', reason: 'another holdfast send is replicating into b/a (pid 7); skipped' },
    'warn',
    'send t/a → b/a: another holdfast send is replicating into b/a (pid 7); skipped',
  ],
  hook: [
    {
      kind: 'hook',
      hook: 'pre_snapshot_command',
      section: 'tank/db',
      command: 'fsfreeze -f /db',
      exitCode: 1,
      ms: 40,
      failure: 'pre_snapshot_command exited 1: busy',
      then: 'no snapshot of [tank/db]',
    },
    'error',
    '[tank/db] pre_snapshot_command failed: pre_snapshot_command exited 1: busy; no snapshot of [tank/db]',
  ],
  'handled-elsewhere': [
    { kind: 'handled-elsewhere', command: 'send', target: 't → s3://b/p', reason: 'a store' },
    'debug',
    'send t → s3://b/p: a store',
  ],
  'nothing-to-do': [
    { kind: 'nothing-to-do', command: 'snap', config: '/etc/h.conf' },
    'warn',
    'snap: /etc/h.conf has no sections yet; nothing to do until you add one, such as [tank/data]',
  ],
  command: [
    { kind: 'command', host: 'ssh:22:root@nas', command: "zfs list -H 'a b'", exitCode: 0, ms: 12 },
    'debug',
    "ssh:22:root@nas: zfs list -H 'a b' → exit 0 in 12 ms",
  ],
  interrupted: [
    { kind: 'interrupted', signal: 'SIGTERM', during: 'snap', next: 'the next run takes what is due', unconfirmedAfterSec: 20 },
    'warn',
    'interrupted by SIGTERM during snap; the next run takes what is due (unconfirmed: the run had not finished stopping after 20 s)',
  ],
  notified: [
    { kind: 'notified', target: 'https://hc-ping.com/…', detail: 'HTTP 200' },
    'info',
    'notified https://hc-ping.com/… (HTTP 200)',
  ],
  'notify-failed': [
    { kind: 'notify-failed', target: 'command mail', message: 'exit 1' },
    'warn',
    "notification to command mail failed: exit 1; the run's result stands",
  ],
  'textfile-failed': [
    { kind: 'textfile-failed', part: 'lag', message: 'no route' },
    'warn',
    '--prometheus: replication lag not measured: no route',
  ],
  took: [
    { kind: 'took', snapshot: 's', type: 'hourly', datasets: ['t/a', 't/a/b', 'u/x'], roots: ['t/a', 'u/x'], call: 'atomic' },
    'info',
    'took t/a@s, u/x@s and 1 descendant in one atomic call',
  ],
  destroyed: [
    { kind: 'destroyed', dataset: 't/a', snapshots: ['s1', 's2'], descendants: 0, call: 'list', destroyed: ['t/a@s1', 't/a@s2'] },
    'info',
    'destroyed t/a@s1, @s2 in one call',
  ],
  'host-failed': [
    { kind: 'host-failed', tree: 'zfs', host: 'ssh::nas', message: 'ssh: connect to host nas port 22: Connection refused' },
    'error',
    'zfs on ssh::nas: ssh: connect to host nas port 22: Connection refused',
  ],
  'change-unknown': [
    { kind: 'change-unknown', host: 'this host', flavor: 'zfs-fuse', datasets: 1 },
    'warn',
    'snap_if_changed: zfs-fuse on this host cannot tell whether data changed (no written property); 1 dataset is snapshotted anyway (docs/views.md)',
  ],
  'snapshot-dir-created': [
    { kind: 'snapshot-dir-created', dir: '/data/.snapshots', subvolume: '/data' },
    'info',
    'created snapshot directory /data/.snapshots (a subvolume) for btrfs:/data',
  ],
  'holds-unreadable': [
    { kind: 'holds-unreadable', message: '/d/.holdfast-holds.json: not JSON' },
    'error',
    'btrfs holds /d/.holdfast-holds.json: not JSON; until then clean keeps every snapshot there',
  ],
  'snap-summary': [
    { kind: 'snap-summary', dryRun: false, taken: 3, destroyed: 1, datasets: 1, unchanged: 2, ms: 1234, calls: 1, failed: ['t/x', 't/y'] },
    'error',
    'snap: took 3, destroyed 1 snapshot on 1 dataset (2 unchanged, skipped) in 1.2 s (1 zfs/btrfs call); 2 failed: t/x, t/y',
  ],
  'cleanup-unlisted': [
    { kind: 'cleanup-unlisted', destination: 'ssh::nas:b', message: 'refused' },
    'warn',
    'cleanup: cannot list ssh::nas:b: refused; nothing that should be there is destroyed',
  ],
  'cleanup-summary': [
    { kind: 'cleanup-summary', destroyed: 1, planned: 1, failed: [] },
    'info',
    'cleanup: destroyed 1 of 1 snapshot; 0 failed',
  ],
  sent: [
    {
      kind: 'sent',
      dataset: 't/a',
      snapshot: 's2',
      destination: 'ssh:22:root@nas:b/a',
      transfer: 'incremental',
      flag: '-I',
      from: 's1',
      bytes: 3 * MiB,
      ms: 1500,
    },
    'info',
    'sent t/a@s2 → ssh:22:root@nas:b/a (-I from @s1): 3.0 MiB in 1.5 s (2.0 MiB/s)',
  ],
  progress: [
    {
      kind: 'progress',
      dataset: 't/a',
      snapshot: 's',
      destination: 'b/a',
      elapsedSec: 60,
      bytes: 30 * MiB,
      sizeBytes: 100 * MiB,
      percent: 30,
      bytesPerSec: 0.5 * MiB,
      etaSec: 140,
    },
    'info',
    'sending t/a@s → b/a: 30.0 MiB of ~100.0 MiB (30%) in 1:00, 512.0 KiB/s, about 2:20 left',
  ],
  'up-to-date': [{ kind: 'up-to-date', dataset: 't/a', destination: 'b/a', snapshot: 's' }, 'debug', 't/a → b/a is up to date (@s)'],
  'pair-skipped': [
    { kind: 'pair-skipped', dataset: 't/a', reason: 'no-snapshots', why: 'no snapshots yet; it is sent once it has one' },
    'info',
    'skip t/a: no snapshots yet; it is sent once it has one',
  ],
  'dest-step': [
    { kind: 'dest-step', destination: 'b/a', step: 'destroy-dest', snapshots: 2, commands: ['zfs destroy b/a@x', 'zfs destroy b/a@y'] },
    'info',
    'b/a: destroyed 2 destination snapshot(s) (--force): zfs destroy b/a@x; zfs destroy b/a@y',
  ],
  rollback: [
    { kind: 'rollback', destination: 'b/a', snapshot: 's1' },
    'info',
    'b/a changed since @s1; rolling it back to @s1 (a replica is not written to)',
  ],
  retrying: [
    { kind: 'retrying', dataset: 't/a', message: 'ssh exited 255', inSec: 10, attempt: 1, retries: 3 },
    'warn',
    'send t/a: ssh exited 255; retrying in 10 s (retry 1 of 3)',
  ],
  'send-failed': [
    { kind: 'send-failed', dataset: 't/a', destination: 'b/a', attempts: 2, message: 'stage 2 zfs receive exited 1' },
    'error',
    'send t/a → b/a failed after 2 attempts: stage 2 zfs receive exited 1',
  ],
  conflict: [
    { kind: 'conflict', dataset: 't/a', destination: 'b/a', conflict: 'dest-ahead', line: '  source t/a: @s1' },
    'error',
    '  source t/a: @s1',
  ],
  'send-note': [
    { kind: 'send-note', about: 't/a → ssh::nas:b/a', note: 'lz4 is not installed on ssh::nas; sending uncompressed' },
    'warn',
    't/a → ssh::nas:b/a: lz4 is not installed on ssh::nas; sending uncompressed',
  ],
  'pin-failed': [
    { kind: 'pin-failed', job: 't/a → b/a', message: 'cannot hold t/a@s: busy' },
    'warn',
    't/a → b/a: cannot hold t/a@s: busy (the base stays protected by the previous hold)',
  ],
  'resume-unavailable': [
    { kind: 'resume-unavailable', host: 'this host', flavor: 'zfs-fuse' },
    'warn',
    'resume is unavailable on this host (zfs-fuse: no zfs receive -s / send -t); an interrupted transfer starts over',
  ],
  'send-summary': [
    {
      kind: 'send-summary',
      dryRun: false,
      streams: 1,
      bytes: 1536,
      upToDate: 4,
      conflicts: 1,
      busy: 1,
      ms: 2049,
      zfsProcesses: 9,
      cpuSec: 0.3149,
      failed: ['t/a → b/a'],
    },
    'error',
    'send: sent 1 stream (1.5 KiB), 4 up to date, 1 conflict, 1 busy (skipped) in 2.0 s (9 zfs processes, node CPU 0.31 s); 1 failed: t/a → b/a',
  ],
  uploaded: [
    {
      kind: 'uploaded',
      snapshot: 't/a@s2',
      destination: 's3://b/p',
      transfer: 'incremental',
      from: 's1',
      streamBytes: 2048,
      storedBytes: 1024,
      ms: 300,
    },
    'info',
    'uploaded t/a@s2 → s3://b/p (incremental from @s1): 2.0 KiB stream, 1.0 KiB stored in 0.3 s',
  ],
  'upload-failed': [
    { kind: 'upload-failed', snapshot: 't/a@s', destination: 's3://b/p', message: 'AccessDenied' },
    'error',
    'upload t/a@s: AccessDenied (nothing of it is in s3://b/p; the next run uploads it again)',
  ],
  'store-note': [{ kind: 'store-note', about: 't/a → s3://b/p', note: 'a new chain' }, 'info', 't/a → s3://b/p: a new chain'],
  'hold-failed': [{ kind: 'hold-failed', op: 'release', snapshot: 't/a@s', message: 'no such tag' }, 'warn', 'release t/a@s: no such tag'],
  pruned: [
    { kind: 'pruned', destination: 's3://b/p', dataset: 't/a', snapshots: 1, objects: 2 },
    'info',
    'pruned s3://b/p t/a: 1 snapshot, 2 objects',
  ],
  lifecycle: [
    { kind: 'lifecycle', destination: 's3://b/p', outcome: 'updated', prefix: 'streams/', storageClass: 'GLACIER', days: 30 },
    'info',
    's3://b/p: lifecycle rule set: streams/* → GLACIER after 30 days',
  ],
  'source-unlisted': [
    { kind: 'source-unlisted', destination: 's3://b/p', message: 'no zfs' },
    'warn',
    'status s3://b/p: cannot list the source side (no zfs); showing the store only',
  ],
  'chain-verified': [{ kind: 'chain-verified', snapshot: 't/a@s', links: 1 }, 'info', 'verified 1 link of t/a@s before receiving'],
  received: [
    { kind: 'received', snapshot: 't/a@s', destination: 'r/a', transfer: 'full', link: 1, links: 2, ms: 50 },
    'info',
    'received t/a@s (full, link 1 of 2) into r/a in 0.1 s',
  ],
  'not-mounted': [{ kind: 'not-mounted', dataset: 'r/a', message: 'busy' }, 'warn', 'restore: r/a is complete but not mounted: busy'],
  restored: [
    { kind: 'restored', snapshot: 't/a@s', destination: 'r/a', links: 2 },
    'info',
    'restore: t/a@s is in r/a (2 links received, each checked)',
  ],
  'verify-summary': [
    { kind: 'verify-summary', destination: 's3://b/p', objects: 4, failures: 1 },
    'error',
    'verify s3://b/p: 3 of 4 objects match their manifests, 1 do not',
  ],
  'store-summary': [
    { kind: 'store-summary', dryRun: true, uploads: 1, storedBytes: 0, stores: 1, deleted: 1, failed: [] },
    'info',
    'send: would upload 1 snapshot to 1 store, would delete 1 object; 0 failed',
  ],
  'backup-taken': [
    {
      kind: 'backup-taken',
      job: 'home',
      backup: '2026-11-22T20:46:37+00:00',
      source: 'u@h:/home',
      dryRun: false,
      ms: 2500,
      files: 1,
      bytes: 12,
    },
    'info',
    'backup home: took 2026-11-22T20:46:37+00:00 from u@h:/home (rsync 2.5 s, 1 file / 12 bytes changed)',
  ],
  'backup-failed': [
    { kind: 'backup-failed', job: 'home', stage: 'rsync', message: 'the source /home does not exist' },
    'error',
    'backup home: the source /home does not exist; no backup taken, nothing pruned',
  ],
  'backup-vanished': [
    { kind: 'backup-vanished', job: 'home', message: 'some source files vanished' },
    'warn',
    'backup home: some source files vanished; the backup is taken anyway',
  ],
  'workdir-created': [
    { kind: 'workdir-created', job: 'home', workdir: '/b/.sync', from: 'x', dryRun: true },
    'info',
    'backup home: would create the working copy /b/.sync as a writable snapshot of x',
  ],
  'backup-deleted': [
    { kind: 'backup-deleted', job: 'home', rule: 'decay', backup: 'x', why: 'older than 1 week' },
    'info',
    'decay home: deleted x (older than 1 week)',
  ],
  'retention-summary': [
    { kind: 'retention-summary', job: 'home', rule: 'prune', dryRun: false, deleted: 2, kept: 5, failures: 1 },
    'error',
    'prune home: deleted 2, kept 5; 1 failed',
  ],
  'backup-summary': [
    { kind: 'backup-summary', dryRun: false, taken: 1, jobs: 2, deleted: 0, ms: 100, failed: ['work'] },
    'error',
    'backup: took 1 of 2, deleted 0 old in 0.1 s; 1 failed: work',
  ],
  'btrfs-sent': [
    { kind: 'btrfs-sent', pair: '/data → ssh::nas:/b', snapshot: 's2', parent: 's1', ms: 900 },
    'info',
    'btrfs-send /data → ssh::nas:/b: sent s2 (incremental from s1) in 0.9 s',
  ],
  'btrfs-up-to-date': [{ kind: 'btrfs-up-to-date', pair: '/data → /b' }, 'info', 'btrfs-send /data → /b: up to date (no snapshots yet)'],
  'receives-cleared': [
    { kind: 'receives-cleared', pair: '/data → /b', subvolumes: ['s2', 's3'], dryRun: false },
    'warn',
    'btrfs-send /data → /b: deleted unfinished receives s2, s3',
  ],
  'btrfs-send-summary': [
    { kind: 'btrfs-send-summary', dryRun: true, sent: 1, destinations: 1, ms: 0, failed: [] },
    'info',
    'btrfs-send: would send 1 snapshot to 1 destination in 0.0 s; 0 failed',
  ],
};

describe('typed log events', () => {
  it.each(Object.values(EXAMPLES).map((x) => [x[0].kind, ...x] as const))('%s: its level and its text line', (_kind, e, level, text) => {
    expect(levelOf(e)).toBe(level);
    expect(textOf(e)).toBe(text);
  });

  it('the levels that depend on the event: a skip by exclude is -v only, a closing line with no failures is info', () => {
    expect(levelOf({ kind: 'pair-skipped', dataset: 't/a', reason: 'excluded', why: 'excluded by "*/tmp"' })).toBe('debug');
    expect(levelOf({ ...EXAMPLES['snap-summary'][0], failed: [] })).toBe('info');
    expect(levelOf({ ...EXAMPLES.lifecycle[0], outcome: 'unsupported' })).toBe('warn');
  });

  it('each kind is rendered by exactly one feature (no kind is defined twice and silently overridden)', () => {
    const maps = [RUN_EVENTS, SNAP_EVENTS, SEND_EVENTS, STORE_EVENTS, BACKUP_EVENTS].map((m) => Object.keys(m));
    const all = maps.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(Object.keys(RENDER).sort()).toEqual([...all].sort());
    expect(Object.keys(EXAMPLES).sort()).toEqual([...all].sort());
  });

  it('a kind without a text rendering does not compile', () => {
    type WithNewKind = LogEvent | { readonly kind: 'brand-new'; readonly dataset: string };
    // @ts-expect-error 'brand-new' has no rendering in RENDER
    const all: Renderers<WithNewKind> = RENDER;
    type NewSnapEvent = SnapEvent | { readonly kind: 'snap-new' };
    // @ts-expect-error the feature's own table misses it too
    const snap: Renderers<NewSnapEvent> = SNAP_EVENTS;
    // @ts-expect-error a rendering must take its own kind's fields
    const wrong: Renderers<SnapEvent> = { ...SNAP_EVENTS, took: { level: 'info', text: (e: { dataset: string }) => e.dataset } };
    expect([all, snap, wrong]).toHaveLength(3);
  });

  it('the text sink prints the line alone, at or above its level; the logger sends each event once', async () => {
    const out: string[] = [];
    const sink = await createLogger({ level: 'info', json: false, now: () => 0, write: (l) => out.push(l) });
    const log = eventLogger(sink);
    log.event(EXAMPLES.took[0]);
    log.event(EXAMPLES.command[0]); // debug: below info
    log.event({ ...EXAMPLES.conflict[0], line: 'two\nlines' });
    expect(out.map((l) => l.replace(/^\S+ /, ''))).toEqual([
      'INFO  took t/a@s, u/x@s and 1 descendant in one atomic call\n',
      'ERROR two ⏎ lines\n',
    ]);
  });
});

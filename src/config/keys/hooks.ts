import { parseAge } from '../../domain/units.js';
import { type ParseResult, commentHint, key } from './spec.js';
import { splitShellWords } from './shell-words.js';

// The longest a hook may run: a day is a stuck hook, not a slow one.
export const MAX_HOOK_TIMEOUT = 86_400;

function parseCommand(raw: string): ParseResult<readonly string[]> {
  const w = splitShellWords(raw.trim());
  return 'error' in w ? { error: w.error.replace('notify_command', 'a hook') } : { value: w.argv };
}

function parseTimeout(raw: string): ParseResult<number> {
  const s = parseAge(raw);
  if (s === undefined || s < 1 || s > MAX_HOOK_TIMEOUT)
    return { error: `"${raw.trim()}" is not a timeout from 1 s to 1 day (e.g. 60, 90s, 5m)${commentHint(raw)}` };
  return { value: s };
}

function parseWord<W extends string>(words: readonly W[], name: string) {
  return (raw: string): ParseResult<W> => {
    const v = raw.trim().toLowerCase();
    if ((words as readonly string[]).includes(v)) return { value: v as W };
    return { error: `"${raw.trim()}" is not a ${name} setting; write ${words.join(' or ')}${commentHint(raw)}` };
  };
}

// Consistency hooks (sanoid's pre/post scripts, zfs_autobackup's --pre-snapshot-cmd): per
// section, inherited down the tree like the counts.
export const HOOK_KEYS = [
  key({
    name: 'pre_snapshot_command',
    scope: 'tree',
    describe: "run this command (no shell) before the section's snapshots, e.g. to freeze a database",
    parse: parseCommand,
  }),
  key({
    name: 'post_snapshot_command',
    scope: 'tree',
    describe: "run this command (no shell) after the section's snapshots; always when the pre command ran",
    parse: parseCommand,
  }),
  key({
    name: 'pre_snapshot_failure',
    scope: 'tree',
    describe: 'when pre_snapshot_command fails: skip (default: no snapshot, the section counts as failed) or snapshot (take it anyway)',
    parse: parseWord(['skip', 'snapshot'] as const, 'pre_snapshot_failure'),
  }),
  key({
    name: 'pre_send_command',
    scope: 'tree',
    describe: "run this command (no shell) before each of the section's destinations is sent to, e.g. to wake a disk",
    parse: parseCommand,
  }),
  key({
    name: 'post_send_command',
    scope: 'tree',
    describe: 'run this command (no shell) after each destination was sent to; always when the pre command ran',
    parse: parseCommand,
  }),
  key({
    name: 'pre_send_failure',
    scope: 'tree',
    describe: 'when pre_send_command fails: skip (default: that destination is not sent to, counted as failed) or send (send anyway)',
    parse: parseWord(['skip', 'send'] as const, 'pre_send_failure'),
  }),
  key({
    name: 'hook_timeout',
    scope: 'tree',
    describe: 'seconds a hook may run before it is killed (default 60; e.g. 90s, 5m)',
    parse: parseTimeout,
  }),
];

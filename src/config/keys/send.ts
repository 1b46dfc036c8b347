import { parseRate } from '../../domain/units.js';
import { STREAM_FLAGS, type StreamFlag } from '../../domain/zfs-command.js';
import { type ParseResult, commentHint, key, parseYesNoList, splitList } from './spec.js';

// The most transfers one run may start at once: far above what one host's zfs keeps busy.
export const MAX_PARALLEL = 64;

// A whole number of transfers from 1 to MAX_PARALLEL.
export function parseParallel(raw: string): ParseResult<number> {
  const v = raw.trim();
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_PARALLEL)
    return { error: `"${v.slice(0, 40)}" is not a number of transfers from 1 to ${MAX_PARALLEL}${commentHint(raw)}` };
  return { value: Number(v) };
}

// Per destination: 'auto', or the OpenZFS stream flags allowed ('none': none of them).
export function parseSendFlags(raw: string): ParseResult<('auto' | StreamFlag[])[]> {
  const out: ('auto' | StreamFlag[])[] = [];
  for (const item of splitList(raw)) {
    const v = item.toLowerCase();
    if (v === '' || v === 'auto') out.push('auto');
    else if (v === 'none') out.push([]);
    else {
      const words = item.split(/\s+/);
      const bad = words.find((w) => !(STREAM_FLAGS as readonly string[]).includes(w));
      if (bad !== undefined)
        return { error: `"${bad}" is not a send flag holdfast chooses; write auto, none, or some of -L -e -c${commentHint(raw)}` };
      out.push(words as StreamFlag[]);
    }
  }
  return { value: out };
}

// A per-destination list of words from a fixed set.
function wordList<W extends string>(words: readonly W[], what: string) {
  const isWord = (i: string): i is W | '' => i === '' || (words as readonly string[]).includes(i); // '': the default
  return (raw: string): ParseResult<(W | '')[]> => {
    const items = splitList(raw).map((s) => s.toLowerCase());
    const bad = items.find((i) => !isWord(i));
    if (bad !== undefined) return { error: `"${bad}" is not ${what}; write one of ${words.join(', ')}${commentHint(raw)}` };
    return { value: items.filter(isWord) };
  };
}

// Per destination: a bandwidth limit in bytes per second, or undefined (none, 0 or empty: no limit).
export function parseRateList(raw: string): ParseResult<(number | undefined)[]> {
  const values: (number | undefined)[] = [];
  for (const item of splitList(raw)) {
    if (item === '' || item === '0' || item.toLowerCase() === 'none') {
      values.push(undefined);
      continue;
    }
    const n = parseRate(item);
    const shown = item.length > 40 ? `${item.slice(0, 39)}…` : item;
    if (n === undefined)
      return {
        error: `"${shown}" is not a bandwidth limit; write a rate such as 512K, 10M or 1G (bytes per second, K = 1024), or none${commentHint(raw)}`,
      };
    values.push(n);
  }
  return { value: values };
}

// `holdfast send`'s keys beyond pyznap's (which are in core.ts).
export const SEND_KEYS = [
  key({
    name: 'force',
    scope: 'dest',
    describe:
      'per destination yes/no: let send destroy destination-only snapshots or replace a conflicting destination (default no: report the conflict)',
    parse: parseYesNoList,
  }),
  key({
    name: 'initial_send',
    scope: 'dest',
    describe:
      'per destination: first replication sends the oldest snapshot in full then the rest (oldest, default) or only the newest (newest)',
    parse: wordList(['oldest', 'newest'], 'an initial_send mode'),
  }),
  key({
    name: 'send_types',
    scope: 'dest',
    describe: "per destination: all (default) sends every snapshot; kept sends only the snapshot types the destination's own section keeps",
    parse: wordList(['all', 'kept'], 'a send_types mode'),
  }),
  key({
    name: 'send_props',
    scope: 'dest',
    describe: 'per destination yes/no: send dataset properties (zfs send -p; default no, as pyznap)',
    parse: parseYesNoList,
  }),
  key({
    name: 'dest_mount',
    scope: 'dest',
    describe: 'per destination yes/no: mount received datasets (default no: zfs receive -u, as pyznap)',
    parse: parseYesNoList,
  }),
  key({
    name: 'hold_base',
    scope: 'dest',
    describe:
      'per destination yes/no: hold the replication base on the source (default yes); no lets clean destroy it while the bookmark holdfast keeps of it carries the chain (OpenZFS; zfs-fuse always holds)',
    parse: parseYesNoList,
  }),
  key({
    name: 'bwlimit',
    scope: 'dest',
    describe:
      'per destination: bandwidth limit of the stream, bytes per second with K/M/G suffixes in powers of 1024 (10M = 10 MiB/s; none: no limit), applied on the sending side by mbuffer -r, else pv -L',
    parse: parseRateList,
  }),
  key({
    name: 'send_flags',
    scope: 'dest',
    describe:
      'per destination: auto (default: -L -e -c where both ends support them, OpenZFS), none, or the flags to allow, e.g. "-L -e" (no -c: the destination recompresses)',
    parse: parseSendFlags,
  }),
  key({
    name: 'send_parallel',
    scope: 'section',
    describe: 'transfers one send run keeps in flight at most, set in [DEFAULT] (default 4; --parallel N overrides)',
    parse: parseParallel,
  }),
  key({
    name: 'host_parallel',
    scope: 'section',
    describe: 'transfers touching one host (either end) in flight at most, set in [DEFAULT] (default 2)',
    parse: parseParallel,
  }),
  key({
    name: 'ssh_cipher',
    scope: 'section',
    describe: 'ssh cipher for every ssh connection (ssh -c), set in [DEFAULT]',
    parse: (raw) => ({ value: raw.trim() }),
  }),
  key({
    name: 'ssh_options',
    scope: 'section',
    describe: 'extra ssh -o options for every ssh connection, comma-separated, set in [DEFAULT]',
    parse: (raw) => ({ value: splitList(raw).filter(Boolean) }),
  }),
];

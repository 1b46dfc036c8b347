import { parseRate } from '../../domain/units.js';
import { type ParseResult, commentHint, key, parseYesNoList, splitList } from './spec.js';

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

import { type KeySpec, type ParseResult, commentHint, parseYesNoList, splitList } from './spec.js';

// A per-destination list of words from a fixed set.
function wordList(words: readonly string[], what: string) {
  return (raw: string): ParseResult => {
    const items = splitList(raw).map((s) => s.toLowerCase());
    const bad = items.find((i) => i !== '' && !words.includes(i));
    if (bad !== undefined) return { error: `"${bad}" is not ${what}; write one of ${words.join(', ')}${commentHint(raw)}` };
    return { value: items };
  };
}

// `holdfast send`'s keys beyond pyznap's (which are in core.ts).
export const SEND_KEYS: readonly KeySpec[] = [
  {
    name: 'force',
    scope: 'dest',
    describe:
      'per destination yes/no: let send destroy destination-only snapshots or replace a conflicting destination (default no: report the conflict)',
    parse: parseYesNoList,
  },
  {
    name: 'initial_send',
    scope: 'dest',
    describe:
      'per destination: first replication sends the oldest snapshot in full then the rest (oldest, default) or only the newest (newest)',
    parse: wordList(['oldest', 'newest'], 'an initial_send mode'),
  },
  {
    name: 'send_types',
    scope: 'dest',
    describe: "per destination: all (default) sends every snapshot; kept sends only the snapshot types the destination's own section keeps",
    parse: wordList(['all', 'kept'], 'a send_types mode'),
  },
  {
    name: 'send_props',
    scope: 'dest',
    describe: 'per destination yes/no: send dataset properties (zfs send -p; default no, as pyznap)',
    parse: parseYesNoList,
  },
  {
    name: 'dest_mount',
    scope: 'dest',
    describe: 'per destination yes/no: mount received datasets (default no: zfs receive -u, as pyznap)',
    parse: parseYesNoList,
  },
  {
    name: 'ssh_cipher',
    scope: 'section',
    describe: 'ssh cipher for every ssh connection (ssh -c), set in [DEFAULT]',
    parse: (raw) => ({ value: raw.trim() }),
  },
  {
    name: 'ssh_options',
    scope: 'section',
    describe: 'extra ssh -o options for every ssh connection, comma-separated, set in [DEFAULT]',
    parse: (raw) => ({ value: splitList(raw).filter(Boolean) }),
  },
];

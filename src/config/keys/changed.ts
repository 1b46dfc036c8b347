import { parseBytes } from '../../domain/units.js';
import { type ParseResult, commentHint, key, parseYesNo } from './spec.js';

function parseThreshold(raw: string): ParseResult<number> {
  const n = parseBytes(raw);
  return n === undefined ? { error: `"${raw.trim()}" is not a size in bytes (e.g. 0, 65536, 512K, 1M)${commentHint(raw)}` } : { value: n };
}

// abgleich's "snapshots only when data changed" (docs/views.md): per section, inherited.
export const CHANGED_KEYS = [
  key({
    name: 'snap_if_changed',
    scope: 'tree',
    describe: "yes: skip a due snapshot when the dataset's data has not changed since its newest snapshot (OpenZFS written property)",
    parse: parseYesNo,
  }),
  key({
    name: 'written_threshold',
    scope: 'tree',
    describe: 'with snap_if_changed: changed means more than this many bytes written (default 0; e.g. 64K to ignore atime updates)',
    parse: parseThreshold,
  }),
];

// How one config key is read. Each feature declares its keys in its own file under keys/.

// tree: inherited from the nearest configured ancestor section, then [DEFAULT].
// dest: a comma list with one entry per destination; never inherited (pyznap).
// section: applies to its own section only (and comes from [DEFAULT] when unset there).
export type KeyScope = 'tree' | 'dest' | 'section';

export type ParseResult<T = unknown> = { readonly value: T; readonly warning?: string } | { readonly error: string };

// A key's spec carries the type of its parsed value: the table of every key (keys/index.ts)
// is where a section's typed values come from.
export interface KeySpec<N extends string = string, T = unknown> {
  readonly name: N;
  readonly scope: KeyScope;
  readonly describe: string; // one line, used by `holdfast check` and the sample file
  readonly parse: (raw: string) => ParseResult<T>;
  readonly pyznap?: boolean; // a key pyznap reads (its quirks are warnings, never errors)
}

// Declares a key, keeping its name and value type (a plain object literal would widen both).
export const key = <N extends string, T>(spec: KeySpec<N, T>): KeySpec<N, T> => spec;

// A value pyznap would have crashed on or misread often comes from a trailing comment.
export function commentHint(raw: string): string {
  return /\s[#;]/.test(raw) ? ' (a comment after a value is part of the value: put it on its own line)' : '';
}

// The most snapshots of one type a count may keep: more than any pool holds in practice (a
// frequent snapshot every minute for almost two years; ZFS itself allows 2^64), and far below
// the numbers a slip of the keyboard makes (99999999999999999999 read as 1e20).
export const MAX_COUNT = 1_000_000;

// pyznap's int(): digits only (with an optional sign); anything else crashed pyznap.
export function parseCount(raw: string): ParseResult<number> {
  const v = raw.trim();
  const shown = v.length > 40 ? `${v.slice(0, 39)}…` : v;
  if (!/^[+-]?\d+$/.test(v)) return { error: `"${shown}" is not a whole number${commentHint(raw)}` };
  const n = Number(v);
  if (n > MAX_COUNT)
    return {
      error: `${shown.replace(/^\+/, '')} is more than ${MAX_COUNT}, the most holdfast keeps of one type; write a count from 0 to ${MAX_COUNT}`,
    };
  if (n < 0)
    return {
      value: n,
      warning: `${n < -MAX_COUNT ? shown : n} is negative; pyznap's clean misbehaves on it, holdfast keeps every snapshot of this type`,
    };
  return { value: n };
}

// pyznap's yes/no: case-insensitive "yes" or "no"; anything else pyznap silently read as "no".
export function parseYesNo(raw: string): ParseResult<boolean> {
  const v = raw.trim().toLowerCase();
  if (v === 'yes') return { value: true };
  if (v === 'no') return { value: false };
  return {
    value: false,
    warning: `"${raw}" is not yes or no; pyznap reads it as "no" and so does holdfast${commentHint(raw)}; write yes or no`,
  };
}

// A comma list, items trimmed (pyznap's split(',') + strip()).
export function splitList(raw: string): string[] {
  return raw.split(',').map((s) => s.trim());
}

// Per-destination yes/no list.
export function parseYesNoList(raw: string): ParseResult<boolean[]> {
  const items = splitList(raw).map(parseYesNo);
  const warning = items.flatMap((r) => ('warning' in r && r.warning ? [r.warning] : []))[0];
  return { value: items.map((r) => ('value' in r ? r.value : false)), ...(warning ? { warning } : {}) };
}

// Per-destination whole-number list (retries, retry_interval): pyznap crashed on non-numbers.
export function parseCountList(what: string, max: number) {
  return (raw: string): ParseResult<number[]> => {
    const values: number[] = [];
    for (const item of splitList(raw)) {
      const shown = item.length > 40 ? `${item.slice(0, 39)}…` : item;
      if (!/^\d+$/.test(item) || Number(item) > max) return { error: `"${shown}" is not ${what} from 0 to ${max}${commentHint(raw)}` };
      values.push(Number(item));
    }
    return { value: values };
  };
}

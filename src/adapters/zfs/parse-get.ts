import type { DatasetState, HostState } from '../../domain/host-state.js';
import type { Snapshot } from '../../domain/snapshot.js';

// The properties every listing asks for; `zfs get -Hp` works on zfs-fuse and OpenZFS alike.
export const BASE_PROPS = ['type', 'createtxg', 'guid', 'userrefs'] as const;

const MISSING = /cannot open '([^']+)': dataset does not exist/g;
const TAB = 9;
const NEWLINE = 10;
const AT = 64;
const HASH = 35;

// What the lines of one name said so far (later lines win, as `zfs get` never repeats them).
interface Row {
  readonly dataset: string;
  readonly snap: string | undefined; // the part after "@"; undefined for a dataset
  props?: Record<string, string>; // every property, for a dataset; the extras only, for a snapshot
  type?: string;
  createtxg?: string;
  guid?: string;
  userrefs?: string;
}

// Parse `zfs get -Hp -r -o name,property,value PROPS ROOTS…` into datasets and their snapshots
// (oldest first by createtxg). Bookmarks ("#") are not listed by get -r; skip them anyway.
// A snapshot keeps the properties beyond BASE_PROPS in `props` (absent when there are none).
//
// Built for a million lines: the text is scanned as UTF-8 bytes and every string kept is decoded
// from them, never sliced from the text (a slice would keep the whole output alive); dataset and
// snapshot names are shared across rows (a recursive snapshot repeats one name on every dataset).
export function parseGetOutput(stdout: string, stderr: string): HostState {
  const buf = Buffer.from(stdout, 'utf8');
  const shared = new Map<string, string>();
  const intern = (s: string): string => {
    const had = shared.get(s);
    if (had !== undefined) return had;
    shared.set(s, s);
    return s;
  };
  const rows: Row[] = []; // in order of first appearance
  const byName = new Map<string, Map<string | undefined, Row>>(); // dataset → part after "@" → row
  let row: Row | undefined;
  let rowStart = -1; // the bytes of `row`'s name, to skip decoding it again on its next line
  let rowEnd = -1;
  // The next byte of a kind at or after `from`, before `end` (-1 if none). Each search goes on from
  // where the last one stopped, so a line without tabs never makes the next line scan again.
  const next = new Map<number, number>();
  const find = (byte: number, from: number, end: number): number => {
    let at = next.get(byte) ?? -2;
    if (at !== -1 && at < from) {
      at = buf.indexOf(byte, from);
      next.set(byte, at);
    }
    return at >= 0 && at < end ? at : -1;
  };
  for (let start = 0; start < buf.length; ) {
    let end = find(NEWLINE, start, buf.length);
    if (end < 0) end = buf.length;
    const lineStart = start;
    start = end + 1;
    // name \t property \t value [\t ignored…]
    const tab1 = find(TAB, lineStart, end);
    const tab2 = tab1 < 0 ? -1 : find(TAB, tab1 + 1, end);
    if (tab2 < 0) continue;
    const t3 = find(TAB, tab2 + 1, end);
    const tab3 = t3 < 0 ? end : t3;
    if (!row || !sameBytes(buf, lineStart, tab1, rowStart, rowEnd)) {
      let at = -1;
      let hash = false;
      for (let i = lineStart; i < tab1; i++) {
        if (buf[i] === AT && at < 0) at = i;
        else if (buf[i] === HASH) hash = true;
      }
      if (hash) continue;
      const dataset = intern(buf.toString('utf8', lineStart, at < 0 ? tab1 : at));
      const snap = at < 0 ? undefined : intern(buf.toString('utf8', at + 1, tab1));
      let forDataset = byName.get(dataset);
      if (!forDataset) byName.set(dataset, (forDataset = new Map()));
      row = forDataset.get(snap);
      if (!row) {
        forDataset.set(snap, (row = { dataset, snap }));
        rows.push(row);
      }
      rowStart = lineStart;
      rowEnd = tab1;
    }
    const prop = BASE_PROPS.find((p) => sameAscii(buf, tab1 + 1, tab2, p)) ?? intern(buf.toString('utf8', tab1 + 1, tab2));
    const value = buf.toString('utf8', tab2 + 1, tab3);
    if (prop === 'type') row.type = value;
    if (row.snap === undefined) (row.props ??= {})[prop] = value;
    else if (prop === 'createtxg') row.createtxg = value;
    else if (prop === 'guid') row.guid = value;
    else if (prop === 'userrefs') row.userrefs = value;
    else if (prop !== 'type') (row.props ??= {})[prop] = value;
  }
  const datasets = new Map<string, { name: string; type: 'filesystem' | 'volume'; snapshots: Snapshot[]; props: Record<string, string> }>();
  const snaps: Snapshot[] = [];
  for (const r of rows) {
    if (r.snap === undefined) {
      if (r.type === 'filesystem' || r.type === 'volume')
        datasets.set(r.dataset, { name: r.dataset, type: r.type, snapshots: [], props: r.props ?? {} });
      continue;
    }
    snaps.push({
      dataset: r.dataset,
      name: r.snap,
      createtxg: Number(r.createtxg),
      guid: r.guid ?? '',
      userrefs: r.userrefs && /^\d+$/.test(r.userrefs) ? Number(r.userrefs) : 0,
      ...(r.props ? { props: r.props } : {}), // the extra properties a view asked for (creation, used…)
    });
  }
  snaps.sort((a, b) => a.createtxg - b.createtxg);
  for (const s of snaps) datasets.get(s.dataset)?.snapshots.push(s);
  const missing = [...stderr.matchAll(MISSING)].map((m) => m[1]!);
  return { datasets: datasets as Map<string, DatasetState>, missing };
}

// Bytes [a, aEnd) equal bytes [b, bEnd): a loop, cheaper than Buffer#compare for a name.
function sameBytes(buf: Buffer, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let i = aEnd - a - 1; i >= 0; i--) if (buf[a + i] !== buf[b + i]) return false; // names differ at the end
  return true;
}

// Bytes [a, end) are the ASCII string s.
function sameAscii(buf: Buffer, a: number, end: number, s: string): boolean {
  if (end - a !== s.length) return false;
  for (let i = 0; i < s.length; i++) if (buf[a + i] !== s.charCodeAt(i)) return false;
  return true;
}

// Top-most roots only: listing a root and its descendant twice would double every row.
export function topRoots(roots: readonly string[]): string[] {
  const sorted = [...new Set(roots)].sort();
  return sorted.filter((r) => !sorted.some((o) => o !== r && r.startsWith(`${o}/`)));
}

// `zfs list -Hp -t bookmark -o name,guid,createtxg` by dataset, oldest first, names without "#".
export function parseBookmarkList(stdout: string): Map<string, { name: string; guid: string; createtxg: number; userrefs: number }[]> {
  const out = new Map<string, { name: string; guid: string; createtxg: number; userrefs: number }[]>();
  for (const line of stdout.split('\n')) {
    const [full, guid, txg] = line.split('\t');
    const hash = full?.indexOf('#') ?? -1;
    if (!full || hash < 0 || guid === undefined || !/^\d+$/.test(txg ?? '')) continue;
    const ds = full.slice(0, hash);
    const list = out.get(ds) ?? [];
    list.push({ name: full.slice(hash + 1), guid, createtxg: Number(txg), userrefs: 0 });
    out.set(ds, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.createtxg - b.createtxg);
  return out;
}

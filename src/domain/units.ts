// Sizes, ages, durations and rates as holdfast prints them, and sizes and ages as people write
// them. The one place for units: logs, tables and messages format through these functions.

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
const ZFS = ['B', 'K', 'M', 'G', 'T', 'P', 'E'];

// "512 B", "1.5 KiB", "12.1 GiB": sizes in log lines, summaries and the store's tables.
export function bytesText(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < IEC.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${IEC[i]}`;
}

// zfs's own style, three significant digits ("21K", "1.50M", "128M"): where a size stands next
// to the ones `zfs list` prints (the tree's columns, written_threshold, what a dataset holds).
export function zfsBytesText(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '-';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < ZFS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${v}B`;
  const digits = v < 10 ? 2 : v < 100 ? 1 : 0;
  return `${v.toFixed(digits)}${ZFS[u]}`;
}

// "12.0 MiB/s": a rate in bytes per second.
export function rateText(bytesPerSec: number): string {
  return `${bytesText(Math.round(bytesPerSec))}/s`;
}

// "45s", "12m", "3h12m", "2d04h": how old something is, the two largest units, fixed width per
// unit for columns (tree, compare, monitor, the store's status).
export function ageText(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 0) return 'future';
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  const d = Math.floor(h / 24);
  return `${d}d${String(h % 24).padStart(2, '0')}h`;
}

// "45 s", "12 min", "5 h", "3 d": one rounded unit, coarse enough to scan (`holdfast list`).
export function roughAgeText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

// "1.2 s": how long a step took, from milliseconds.
export function secondsText(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

// "1:05", "1:02:05": elapsed time and time left on a stopwatch (m:ss, h:mm:ss from an hour on).
export function clockText(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

const AGE_UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

// "90m", "28h", "1d12h", "2w", or plain seconds; undefined when it is none of these.
export function parseAge(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^(\d+[smhdw])+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+)([smhdw])/g)) total += Number(m[1]) * AGE_UNIT[m[2]!]!;
  return total;
}

// An age as written back in messages and defaults: the shortest exact form parseAge reads
// ("90m", "28h", "8d").
export function ageSpec(seconds: number): string {
  for (const [u, n] of [
    ['w', 604_800],
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds > 0 && seconds % n === 0) return `${seconds / n}${u}`;
  }
  return `${seconds}s`;
}

// "1048576", "512K", "16M", "64MiB", "1.5G", "2 GiB" (powers of 1024, as zfs); undefined when it
// is none of these or too large to count exactly.
export function parseBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgtp]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const power = 'bkmgtp'.indexOf((m[2] || 'b').toLowerCase());
  const n = Math.round(Number(m[1]) * 1024 ** power);
  return Number.isSafeInteger(n) ? n : undefined;
}

// A bandwidth limit as written ("10M", "512K", "1.5G", "10MiB/s"): bytes per second in powers
// of 1024, the units mbuffer -r and pv -L read; undefined when it is none of these, or below
// 1 KiB/s (mbuffer and pv would crawl or refuse).
export function parseRate(text: string): number | undefined {
  const n = parseBytes(text.trim().replace(/\/s$/i, ''));
  return n !== undefined && n >= 1024 ? n : undefined;
}

// A rate as mbuffer -r and pv -L read it: "10M", "512K", or plain bytes per second.
export function rateArg(bytesPerSec: number): string {
  for (const [u, n] of [
    ['G', 1024 ** 3],
    ['M', 1024 ** 2],
    ['K', 1024],
  ] as const) {
    if (bytesPerSec % n === 0) return `${bytesPerSec / n}${u}`;
  }
  return String(bytesPerSec);
}

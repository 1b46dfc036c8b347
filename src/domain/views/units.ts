// Sizes and ages as people read them, and ages as people write them (--warn hourly=90m).

const SIZE_UNITS = ['B', 'K', 'M', 'G', 'T', 'P', 'E'];

// zfs's own style: three significant digits, powers of 1024 ("21K", "1.50M", "128M").
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '-';
  let v = n;
  let u = 0;
  while (v >= 1024 && u < SIZE_UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${v}B`;
  const digits = v < 10 ? 2 : v < 100 ? 1 : 0;
  return `${v.toFixed(digits)}${SIZE_UNITS[u]}`;
}

// "45s", "12m", "3h12m", "2d04h": the two largest units, fixed width per unit for columns.
export function formatAge(seconds: number): string {
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

// Ages as written back in messages and defaults: the shortest exact form ("90m", "28h", "8d").
export function ageText(seconds: number): string {
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

// "1048576", "512K", "1M", "1.5G" (powers of 1024, as zfs); undefined when it is none of these.
export function parseBytes(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgtp]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const power = 'bkmgtp'.indexOf((m[2] || 'b').toLowerCase());
  return Math.round(Number(m[1]) * 1024 ** power);
}

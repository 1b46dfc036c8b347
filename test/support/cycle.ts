import { expect } from 'vitest';
import { holdfast, writeConfig } from '../helpers/cli.js';
import { countsUnder, zfs } from '../helpers/zfs-lab.js';

// pyznap-spec §10's time cycles: run `snap` (take + clean) under faketime at each clock step;
// after every step no type exceeds its count, and each expected count is reached.
const COUNTS = { frequent: 30, hourly: 24, daily: 14, weekly: 8, monthly: 12, yearly: 3 } as const;
type T = keyof typeof COUNTS;
const CONF = Object.entries(COUNTS)
  .map(([k, v]) => `${k} = ${v}`)
  .join('\n');

const fmt = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

export async function cycle(
  pool: string,
  locks: string,
  name: string,
  start: number,
  step: (i: number) => number,
  steps: number,
  reach: Partial<Record<T, number>>,
): Promise<void> {
  const ds = `${pool}/${name}`;
  await zfs('create', ds);
  await zfs('create', `${ds}/child`);
  const conf = writeConfig(`[${ds}]\n${CONF}\nsnap = yes\nclean = yes\n`);
  const reached: Partial<Record<T, number>> = {};
  for (let i = 0; i < steps; i++) {
    const r = await holdfast(['--config', conf, '--lock-dir', locks, 'snap'], { faketime: fmt(start + step(i)) });
    expect(r.code, r.stderr).toBe(0);
    const all = await countsUnder(ds);
    for (const d of [ds, `${ds}/child`]) {
      const counts = all.get(d) ?? {};
      for (const t of Object.keys(COUNTS) as T[]) {
        expect(counts[t] ?? 0, `${t} on ${d} after step ${i}`).toBeLessThanOrEqual(COUNTS[t]);
        if ((counts[t] ?? 0) === reach[t]) reached[t] = i;
      }
    }
  }
  for (const t of Object.keys(reach) as T[]) expect(reached[t], `${t} never reached ${reach[t]}`).toBeDefined();
}

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

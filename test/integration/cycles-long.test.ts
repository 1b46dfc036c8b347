import { afterAll, beforeAll, describe, it } from 'vitest';
import { lockDir } from '../helpers/cli.js';
import { type TestPool, createPool } from '../helpers/zfs-lab.js';
import { DAY, cycle } from '../support/cycle.js';

let pool: TestPool;
const locks = lockDir();
beforeAll(async () => {
  pool = await createPool('cy', 128);
});
afterAll(async () => pool?.destroy());

describe('time cycles under faketime (pyznap-spec §10): days, months and years', () => {
  it('8 weeks of days: 14 daily', async () => {
    await cycle(pool.name, locks, 'days', Date.UTC(2014, 0, 1), (i) => i * DAY, 56, { daily: 14, weekly: 8 });
  }, 600_000);

  it('3 years of months: 12 monthly', async () => {
    await cycle(pool.name, locks, 'months', Date.UTC(2014, 0, 1), (i) => Date.UTC(2014, i, 1) - Date.UTC(2014, 0, 1), 36, {
      monthly: 12,
      yearly: 3,
    });
  }, 600_000);

  it('50 years of Januaries: 3 yearly', async () => {
    await cycle(pool.name, locks, 'years', Date.UTC(1990, 0, 1), (i) => Date.UTC(1990 + i, 0, 1) - Date.UTC(1990, 0, 1), 50, { yearly: 3 });
  }, 600_000);
});

import { afterAll, beforeAll, describe, it } from 'vitest';
import { lockDir } from '../helpers/cli.js';
import { type TestPool, createPool } from '../helpers/zfs-lab.js';
import { HOUR, MIN, cycle } from '../support/cycle.js';

let pool: TestPool;
const locks = lockDir();
beforeAll(async () => {
  pool = await createPool('cy', 128);
});
afterAll(async () => pool?.destroy());

describe('time cycles under faketime (pyznap-spec §10): minutes and hours', () => {
  it('2 hours of minutes: exactly 30 frequent after 30 runs', async () => {
    await cycle(pool.name, locks, 'minutes', Date.UTC(2014, 0, 1), (i) => i * MIN, 120, { frequent: 30, hourly: 2 });
  }, 600_000);

  it('1 week of hours: 24 hourly', async () => {
    await cycle(pool.name, locks, 'hours', Date.UTC(2014, 0, 1), (i) => i * HOUR, 168, { hourly: 24, daily: 7 });
  }, 600_000);
});

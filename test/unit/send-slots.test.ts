import { describe, expect, it } from 'vitest';
import { Slots } from '../../src/app/send/slots.js';

// The run's transfer slots: bounds in all and per host, all-or-nothing grants, no starvation of
// a waiter that fits.
const tick = () => new Promise((r) => setImmediate(r));

describe('Slots', () => {
  it('never lets more than `total` transfers run, nor more than `perHost` on one host', async () => {
    const slots = new Slots(4, 2);
    let running = 0;
    let most = 0;
    const perHost = new Map<string, number>();
    let mostPerHost = 0;
    const transfer = async (hosts: string[]) => {
      const release = await slots.acquire(hosts);
      running++;
      most = Math.max(most, running);
      for (const h of new Set(hosts)) {
        perHost.set(h, (perHost.get(h) ?? 0) + 1);
        mostPerHost = Math.max(mostPerHost, perHost.get(h)!);
      }
      await tick();
      await tick();
      running--;
      for (const h of new Set(hosts)) perHost.set(h, perHost.get(h)! - 1);
      release();
    };
    const hosts = ['a', 'b', 'c', 'd', 'e', 'f'];
    await Promise.all(Array.from({ length: 40 }, (_, i) => transfer(['local', hosts[i % 6]!]).then(() => undefined)));
    expect(mostPerHost).toBe(2); // "local" is on every one
    expect(most).toBe(2);
    const wide = new Slots(4, 2);
    running = 0;
    most = 0;
    perHost.clear();
    mostPerHost = 0;
    const t2 = async (hs: string[]) => {
      const release = await wide.acquire(hs);
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
      release();
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => t2([hosts[i % 6]!, hosts[(i + 3) % 6]!])));
    expect(most).toBe(4); // six hosts with two slots each would fit six: the total bounds it
  });

  it('both ends on one host take one slot there', async () => {
    const slots = new Slots(4, 1);
    const r1 = await slots.acquire(['x', 'x']);
    expect(slots.busy).toBe(1);
    let second = false;
    void slots.acquire(['x']).then(() => (second = true));
    await tick();
    expect(second).toBe(false);
    r1();
    await tick();
    expect(second).toBe(true);
  });

  it('a waiter that fits passes one that must wait for its host; releasing twice counts once', async () => {
    const slots = new Slots(2, 1);
    const a = await slots.acquire(['nas']);
    const order: string[] = [];
    void slots.acquire(['nas']).then(() => order.push('nas'));
    void slots.acquire(['web']).then(() => order.push('web'));
    await tick();
    expect(order).toEqual(['web']);
    a();
    a();
    await tick();
    expect(order).toEqual(['web', 'nas']);
    expect(slots.busy).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { jobsFromConfig } from '../../src/app/send/jobs.js';
import { CONFIG_SEND as request, sendWork } from '../../src/app/send/request.js';
import { parsePolicyText } from '../../src/config/parse.js';
import { storeJobsFromConfig } from '../../src/app/store/jobs.js';

const file = (text: string) => parsePolicyText(text, '/etc/holdfast/holdfast.conf');
const MiB = 1024 * 1024;

// bwlimit and hold_base: per-destination lists, as every dest key; --bwlimit over them.
describe('bwlimit and hold_base in the policy file', () => {
  it('one entry per destination, stores included; none or empty: no limit; hold_base defaults to yes', () => {
    const f = file(`[tank/data]\ndest = bk/a, bk/b, file:///mnt/usb\nbwlimit = 10M, none, 512K\nhold_base = no\n`);
    const { jobs } = jobsFromConfig(f);
    expect(jobs.map((j) => [j.options.bwlimit, j.options.holdBase])).toEqual([
      [10 * MiB, false],
      [undefined, true],
    ]);
    expect(storeJobsFromConfig(f).map((s) => s.options.bwlimit)).toEqual([512 * 1024]);
  });

  it('a rate that is not one is an error naming what to write', () => {
    const f = file(`[tank/data]\ndest = bk/a\nbwlimit = fast\n`);
    const issues = f.issues.map((i) => i.message).join('\n');
    expect(issues).toContain('"fast" is not a bandwidth limit; write a rate such as 512K, 10M or 1G');
  });

  it("--bwlimit replaces every destination's own; 0 (none) lifts it", () => {
    const f = file(`[tank/data]\ndest = bk/a, file:///mnt/usb\nbwlimit = 10M, 10M\n`);
    const w = sendWork(f, { ...request, bwlimit: 2 * MiB });
    expect(w.jobs.map((j) => j.options.bwlimit)).toEqual([2 * MiB]);
    expect(w.stores.map((s) => s.options.bwlimit)).toEqual([2 * MiB]);
    const none = sendWork(f, { ...request, bwlimit: 0 });
    expect(none.jobs.map((j) => j.options.bwlimit)).toEqual([undefined]);
    expect(none.stores.map((s) => s.options.bwlimit)).toEqual([undefined]);
  });
});

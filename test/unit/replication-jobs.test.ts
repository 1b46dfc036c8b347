import { describe, expect, it } from 'vitest';
import { jobsFromConfig } from '../../src/app/send/jobs.js';
import { parsePolicyText } from '../../src/config/parse.js';

const jobs = (text: string) => jobsFromConfig(parsePolicyText(text, '/etc/holdfast/holdfast.conf'));

// pyznap-spec §2.3: per-destination lists, consumed per destination, except dest_keys and
// compress, which may hold one entry per ssh destination.
describe('jobs from the policy file', () => {
  it("reads the bundled sample's lists the way pyznap does", () => {
    const { jobs: js } = jobs(`[tank/data]
dest = backup/data, ssh::user@host0:backup/data, ssh:22:user@host1:backup/data
dest_keys = /k1, /k2
compress = lzop, none
raw_send = no, yes
exclude = tank/data/home, */home */media/* */logs
dest_auto_create = yes
retries = 2, 2, 2
`);
    expect(
      js.map((j) => [
        j.dest.dataset,
        j.options.destKey,
        j.options.compress,
        j.options.raw,
        j.options.exclude,
        j.options.autoCreate,
        j.options.retries,
      ]),
    ).toEqual([
      ['backup/data', undefined, undefined, false, ['tank/data/home'], true, 2],
      ['backup/data', '/k1', 'lzop', true, ['*/home', '*/media/*', '*/logs'], false, 2],
      ['backup/data', '/k2', 'none', false, [], false, 2],
    ]);
  });

  it('takes one entry per destination when the list is that long', () => {
    const { jobs: js } = jobs(`[tank/data]\ndest = a/b, ssh::u@h:c/d\ncompress = none, zstd\ndest_keys = , /k\n`);
    expect(js.map((j) => [j.options.compress, j.options.destKey])).toEqual([
      ['none', undefined],
      ['zstd', '/k'],
    ]);
  });

  it("an ssh source: compress's first entry applies to every destination", () => {
    const { jobs: js } = jobs(`[ssh::u@src:tank/data]\ndest = a/b, c/d\ncompress = lz4\nkey = /srckey\n`);
    expect(js.map((j) => [j.options.compress, j.options.sourceKey])).toEqual([
      ['lz4', '/srckey'],
      ['lz4', '/srckey'],
    ]);
  });

  it("holdfast's own keys, and s3 destinations left to their own command", () => {
    const { jobs: js, problems } = jobs(
      `[tank/data]\ndest = a/b, s3://bucket/x\nforce = yes\ninitial_send = newest\nsend_types = kept\nsend_props = yes\ndest_mount = yes\n`,
    );
    expect(js).toHaveLength(1);
    expect(js[0]!.options).toMatchObject({ force: true, initial: 'newest', sendTypes: 'kept', props: true, mount: true });
    expect(problems).toEqual([
      {
        target: 'tank/data → s3://bucket/x',
        message: 'a s3:// destination: sent by the object-store branch of send, not by zfs replication',
        skipped: true,
      },
    ]);
  });

  it('rejects bad values of the new keys in the config, with the line', () => {
    const f = parsePolicyText(`[tank/data]\ndest = a/b\ninitial_send = first\n`, 'x.conf');
    expect(f.issues.find((i) => i.severity === 'error')?.message).toMatch(/"first" is not an initial_send mode/);
  });
});

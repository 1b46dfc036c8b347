import { describe, expect, it } from 'vitest';
import { parseStoreLocation, sourcesOf } from '../../src/app/store/config.js';
import { storeTarget } from '../../src/config/sections/store.js';
import { storeJobFromFlags, storeJobsFromConfig } from '../../src/app/store/jobs.js';
import { parsePolicyText } from '../../src/config/parse.js';

const parse = (text: string) => parsePolicyText(text, '/etc/holdfast/holdfast.conf');
const messages = (text: string) => parse(text).issues.map((i) => `${i.severity} ${i.key ?? ''}: ${i.message}`);

describe('store keys', () => {
  it('read a store section with [DEFAULT] underneath; retention counts as for any target', () => {
    const f = parse(
      `[DEFAULT]\ns3_region = eu-central-1\nstore_compress = lz4\n\n[tank/data]\ndest = s3://bkt/tank, file:///mnt/usb/tank\nexclude = *scratch, \n\n[s3://bkt/tank/]\ns3_endpoint = https://s3.example.net\ns3_credentials_file = /etc/holdfast/s3\ns3_part_size = 64M\ns3_concurrency = 8\ns3_storage_class = STANDARD_IA\ns3_transition_days = 30\nencrypt = yes\nencryption_key_file = /etc/holdfast/backup.key\nfull_every = 7d\ndaily = 7\nclean = yes\nsnapshot_prefix = holdfast_\n`,
    );
    expect(f.issues).toEqual([]);
    const c = storeTarget(f, parseStoreLocation('s3://bkt/tank'));
    expect(c).toMatchObject({
      url: 's3://bkt/tank',
      section: 's3://bkt/tank/',
      compress: 'lz4',
      encrypt: true,
      key: { file: '/etc/holdfast/backup.key' },
      snapshotPrefix: 'holdfast_',
      s3: {
        endpoint: 'https://s3.example.net',
        region: 'eu-central-1',
        credentialsFile: '/etc/holdfast/s3',
        partSize: 64 * 2 ** 20,
        concurrency: 8,
        storageClass: 'STANDARD_IA',
      },
      transition: { days: 30, storageClass: 'GLACIER' },
    });
    expect(c.policy).toMatchObject({ counts: { daily: 7 }, clean: true });
    expect(c.fullEvery).toMatchObject({ kind: 'age', text: '7d' });
    const usb = storeTarget(f, parseStoreLocation('file:///mnt/usb/tank'));
    expect(usb).toMatchObject({ section: 'DEFAULT', compress: 'lz4', encrypt: false, s3: { region: 'eu-central-1' } });
    expect(usb.policy.clean).toBe(false);
    const jobs = storeJobsFromConfig(f);
    expect(jobs.map((j) => [j.source.dataset, j.config.url, j.options.excludes])).toEqual([
      ['tank/data', 's3://bkt/tank', ['*scratch']],
      ['tank/data', 'file:///mnt/usb/tank', []],
    ]);
    expect(sourcesOf(f, parseStoreLocation('s3://bkt/tank')).map((s) => s.section.name)).toEqual(['tank/data']);
  });

  it('refuses holdfast-only values that cannot work; unknown keys get a did-you-mean', () => {
    expect(
      messages(
        '[s3://bkt/x]\ns3_part_size = 4M\nfull_every = soon\nstore_compress = brotli\ns3_endpoint = s3.example.net\nencryption_key_file = backup.key\n',
      ),
    ).toEqual([
      'error s3_part_size: s3_part_size must be 5 MiB to 5120 MiB, not 4M',
      'error full_every: "soon" is neither a count of incrementals (e.g. 30) nor an age (e.g. 7d, 1 month): "soon" is not a period; write a number and a unit, e.g. "1 day", "2 weeks", "1 month", "1 year 6 months" (or ISO 8601: P1M)',
      'error store_compress: "brotli" is not one of zstd, lz4, gzip, none',
      'error s3_endpoint: "s3.example.net" is not an http(s) URL',
      'error encryption_key_file: "backup.key" is not an absolute path',
    ]);
    expect(messages('[s3://bkt/x]\nstore_compres = zstd\n')[0]).toContain('did you mean "store_compress"?');
    expect(parse('[s3://bkt/x]\ns3_part_size = auto\nfull_every = 30\n').issues).toEqual([]);
  });

  it('encrypt = yes without a key, or with two, fails the destination (named), not the run', () => {
    const none = storeTarget(parse('[s3://bkt/x]\nencrypt = yes\n'), parseStoreLocation('s3://bkt/x'));
    expect(none.problem).toBe('encrypt = yes in [s3://bkt/x] (line 1), but neither encryption_key_file nor encryption_key_env is set');
    const two = storeTarget(
      parse('[s3://bkt/x]\nencrypt = yes\nencryption_key_file = /k\nencryption_key_env = K\n'),
      parseStoreLocation('s3://bkt/x'),
    );
    expect(two.problem).toContain('keep one');
  });

  it('-s/-d with a store: a store job; with a dataset: none (the zfs branch)', () => {
    const f = parse('');
    expect(storeJobFromFlags(f, 'tank/a', 'file:///srv/b', { full: true, snapshot: 's1' })).toMatchObject({
      source: { dataset: 'tank/a' },
      dest: { kind: 'file', path: '/srv/b' },
      options: { full: true, snapshot: 's1' },
    });
    expect(storeJobFromFlags(f, 'tank/a', 'backup/a')).toBeUndefined();
    expect(() => storeJobFromFlags(f, 's3://bkt/y', 'file:///srv/b')).toThrow(/not a zfs dataset/);
  });
});

import { describe, expect, it } from 'vitest';
import { formatIssue, issueLines } from '../../src/config/issue.js';
import { parsePolicyText } from '../../src/config/parse.js';
import { SAMPLE_CONFIG } from '../../src/config/sample.js';
import { COMPRESSOR_NAMES } from '../../src/adapters/exec/tools.js';
import { SEND_COMPRESSOR_NAMES } from '../../src/domain/replication/compressors.js';

// Bad input gets one clear line per problem, a bounded number of lines, and costs linear time
// (issue 10, items 5, 6, 9, 11).
const parse = (text: string, path = '/etc/holdfast/holdfast.conf') => parsePolicyText(text, path);
const lines = (f: ReturnType<typeof parse>) => f.issues.map(formatIssue);

describe('counts out of range (item 5)', () => {
  it('rejects a count above the maximum, naming file:line and the range', () => {
    const f = parse('[tank/data]\nsnap = yes\nhourly = 99999999999999999999\ndaily = 1000001\nweekly = 1000000\n');
    expect(lines(f)).toEqual([
      '/etc/holdfast/holdfast.conf:3: error: [tank/data] hourly: 99999999999999999999 is more than 1000000, the most holdfast keeps of one type; write a count from 0 to 1000000',
      '/etc/holdfast/holdfast.conf:4: error: [tank/data] daily: 1000001 is more than 1000000, the most holdfast keeps of one type; write a count from 0 to 1000000',
    ]);
  });

  it('rejects fractions, hex, exponents and digit strings too long to be a count, in one bounded line', () => {
    for (const v of ['1.5', '0x10', '1e3', '٣', '9'.repeat(5000)]) {
      const f = parse(`[tank]\nhourly = ${v}\n`);
      expect(f.counts.errors, v).toBe(1);
      expect(formatIssue(f.issues[0]!).length, v).toBeLessThan(400);
    }
  });

  it('keeps reading leading + and zeros as pyznap (int()) does; a negative count stays a warning that keeps everything', () => {
    const f = parse('[tank]\nhourly = +24\ndaily = 007\nweekly = -1\n');
    expect(f.trees[0]!.policy.counts.hourly).toBe(24);
    expect(f.trees[0]!.policy.counts.daily).toBe(7);
    expect(f.counts).toEqual({ errors: 0, warnings: 1 });
  });

  it('bounds retries, retry_interval and cleanup_keep as well', () => {
    const f = parse('[tank]\ndest = a/b\nretries = 99999999999999999999\nretry_interval = 86401\ncleanup_keep = 2000000\n');
    expect(lines(f)).toEqual([
      expect.stringMatching(/:3: error: \[tank\] retries: "99999999999999999999" is not a number of retries from 0 to 100/),
      expect.stringMatching(/:4: error: \[tank\] retry_interval: "86401" is not a number of seconds from 0 to 86400/),
      expect.stringMatching(/:5: error: \[tank\] cleanup_keep: "2000000" is not a whole number from 1 to 1000000/),
    ]);
  });
});

describe('at most 50 problems, and linear time (item 6)', () => {
  it('keeps 50 problems (errors first, shown in line order) and counts the rest exactly', () => {
    const text = `[tank]\n${Array.from({ length: 300 }, (_, i) => `unknown${i} = 1`).join('\n')}\nhourly = x\n`;
    const f = parse(text);
    expect(f.counts).toEqual({ errors: 1, warnings: 300 });
    expect(f.issues).toHaveLength(50);
    expect(f.issues.map((i) => i.line)).toEqual([...Array.from({ length: 49 }, (_, i) => i + 2), 302]);
    expect(f.issues.at(-1)!.severity).toBe('error');
  });

  it('says once that a "]" is missing, and reads the section it opens', () => {
    const f = parse('[tank/data\nhourly = 1\nsnap = yes\n');
    expect(lines(f)).toEqual([
      '/etc/holdfast/holdfast.conf:1: error: the section header "[tank/data" has no closing "]"; write [tank/data]',
    ]);
    expect(f.trees[0]!.policy.counts.hourly).toBe(1);
    const empty = parse('[]\nhourly = 1\n[tank]\n');
    expect(lines(empty)).toEqual(['/etc/holdfast/holdfast.conf:1: error: an empty section name "[]"; write the dataset, e.g. [tank/data]']);
    expect(empty.sections.map((x) => x.name)).toEqual(['tank']);
  });

  it('says once that text comes before the first section header', () => {
    const f = parse('hourly = 1\nsnap = yes\n\n[tank]\nhourly = 2\n');
    expect(lines(f)).toEqual([expect.stringMatching(/:1: error: text before the first \[section\] header/)]);
  });

  it('reads a repeated section as one (each repeat an error), and stops reading after 10,000 problems', () => {
    const f = parse('[tank/data]\nhourly = 1\n'.repeat(200_000));
    expect(f.sections).toHaveLength(1);
    expect(f.counts).toEqual({ errors: 10_000, warnings: 0, stoppedAt: 10_003 }); // lines 3, 4, … 10002 each repeat a header or a key
    expect(issueLines(f).at(-1)).toBe(
      '… and 9950 more in /etc/holdfast/holdfast.conf; reading stopped at line 10003: is this the policy file?',
    );
    const few = parse('[tank/data]\nhourly = 1\n'.repeat(30));
    expect(few.counts).toEqual({ errors: 58, warnings: 0 });
    expect(issueLines(few).at(-1)).toBe('… and 8 more in /etc/holdfast/holdfast.conf');
  });

  it('rejects a binary file in one line', () => {
    const f = parse(`[tank]\nhourly = 1\n\u0000\u0001\u0002garbage`);
    expect(lines(f)).toEqual([
      '/etc/holdfast/holdfast.conf:3: error: a NUL byte: this is not a text file; check that --config names the policy file',
    ]);
  });

  it('reads long lines in linear time (a key-value line of 1 MB of spaces once took minutes)', () => {
    const started = Date.now();
    const f = parse(`[tank]\nk${' '.repeat(1_000_000)}x\nv = ${'%%'.repeat(500_000)}\n`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(f.counts.errors).toBe(1);
    expect(formatIssue(f.issues[0]!).length).toBeLessThan(400);
  });

  it('stops a %(name)s expansion that would grow without bound', () => {
    const refs = (k: string) => `%(${k})s`.repeat(50);
    const f = parse(`[tank]\na = ${refs('b')}\nb = ${refs('c')}\nc = ${refs('d')}\nd = ${refs('e')}\ne = xxxxxxxxxx\n`);
    expect(f.counts.errors).toBeGreaterThan(0);
    expect(lines(f)[0]).toMatch(/longer than 100000 characters/);
  });

  it('suggests a key in time linear in the number of unknown keys', () => {
    const text = `[tank]\n${Array.from({ length: 100_000 }, (_, i) => `hourlx${i} = 1`).join('\n')}\n`;
    const started = Date.now();
    const f = parse(text);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(f.counts.warnings).toBe(100_000);
  });
});

describe('key files (item 9)', () => {
  const probe = (path: string) => (path.startsWith('/missing') ? ('missing' as const) : undefined);
  it('makes a key or dest_keys file that does not exist an error at its line', () => {
    const f = parsePolicyText(
      '[ssh::root@h:pool]\nkey = /missing/id\n[tank]\ndest = ssh::root@h:p/x, ssh::root@g:p/y\ndest_keys = /root/ok, /missing/nas\n',
      '/x.conf',
      { keyFileProblem: probe },
    );
    expect(lines(f)).toEqual([
      '/x.conf:2: error: [ssh::root@h:pool] key: /missing/id does not exist; correct the path, or create the key: ssh-keygen -t ed25519 -f /missing/id',
      '/x.conf:5: error: [tank] dest_keys: /missing/nas does not exist; correct the path, or create the key: ssh-keygen -t ed25519 -f /missing/nas',
    ]);
  });
});

describe('compressors (item 8)', () => {
  it('in the file, an unknown compressor stays a warning (send goes uncompressed, as pyznap)', () => {
    const f = parse('[tank]\ndest = ssh::root@h:p/x, ssh::root@g:p/y\ncompress = lzop, lzo\n');
    expect(lines(f)).toEqual([
      expect.stringMatching(
        /:3: warning: \[tank\] compress: "lzo" is not a compressor \(none, lzop, lz4, zstd, gzip, pigz, bzip2, xz\); send will send uncompressed$/,
      ),
    ]);
    expect(parse('[tank]\ndest = ssh::root@h:p/x, ssh::root@g:p/y\ncompress = , none\n').issues).toEqual([]);
  });

  it("names the same compressors as the send pipeline's table", () => {
    expect([...SEND_COMPRESSOR_NAMES]).toEqual([...COMPRESSOR_NAMES]);
  });
});

describe('the sample setup writes (item 11)', () => {
  it('has no issue at all, not even "no sections"', () => {
    expect(parse(SAMPLE_CONFIG).issues).toEqual([]);
  });
});

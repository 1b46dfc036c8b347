import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/config/issue.js';
import { parsePolicyText } from '../../src/config/parse.js';
import { readIni } from '../../src/config/ini.js';
import { SAMPLE_CONFIG } from '../../src/config/sample.js';

const parse = (text: string, path = '/etc/holdfast/holdfast.conf') => parsePolicyText(text, path);
const lines = (f: ReturnType<typeof parse>) => f.issues.map(formatIssue);

describe('INI reading (configparser dialect)', () => {
  it('reads = and :, lower-cases keys, joins continuation lines, skips comments', () => {
    const ini = readIni('[tank]\n# c\n; c\nHourly: 24\ndest = a,\n  b\n\n[x]\nk=v\n', 'f');
    const e = ini.sections[0]!.entries;
    expect(e.get('hourly')!.value).toBe('24');
    expect(e.get('dest')!.value).toBe('a,\nb');
    expect(ini.sections[1]!.entries.get('k')!.line).toBe(9);
  });

  it('interpolates %% and %(key)s, and rejects a lone %', () => {
    const ini = readIni('[DEFAULT]\nbase = /root\n[a]\nkey = %(base)s/.ssh/id\npct = 50%%\nbad = 5%\n', 'f');
    const a = ini.sections[0]!.entries;
    expect(a.get('key')!.value).toBe('/root/.ssh/id');
    expect(a.get('pct')!.value).toBe('50%');
    expect(ini.issues.map((i) => i.message)).toEqual([expect.stringContaining('lone "%"')]);
  });

  it('reports duplicate sections, duplicate keys and text before the first header', () => {
    const ini = readIni('x = 1\n[a]\nk = 1\nK = 2\n[a]\n', 'f');
    expect(ini.issues.map((i) => i.line)).toEqual([1, 4, 5]);
  });
});

describe('validation reports every problem at once, with file:line', () => {
  const text = [
    '[tank]', // 1
    'hourly = 24 # keep a day', // 2
    'daily = seven', // 3
    'clean = true', // 4
    'snap = yes', // 5
    'hourley = 5', // 6
    '[ssh:abc:root@host:tank]', // 7
    'hourly = 1', // 8
    '[backup]', // 9
    'dest = tank2, ssh:22:root@h:pool/x', // 10
    'dest_auto_create = yes', // 11
    'prefix = bad@prefix', // 12
  ].join('\n');
  const f = parse(text);

  it('makes crashes in pyznap errors, and keeps everything pyznap accepted a warning', () => {
    expect(lines(f)).toEqual([
      expect.stringMatching(
        /^\/etc\/holdfast\/holdfast.conf:2: error: \[tank\] hourly: "24 # keep a day" is not a whole number \(a comment after a value/,
      ),
      expect.stringMatching(/:3: error: \[tank\] daily: "seven" is not a whole number/),
      expect.stringMatching(/:4: warning: \[tank\] clean: "true" is not yes or no; pyznap reads it as "no" and so does holdfast/),
      expect.stringMatching(/:6: warning: \[tank\] hourley: unknown key, ignored \(as pyznap ignores it\); did you mean "hourly"\?/),
      expect.stringMatching(
        /:7: warning: \[ssh:abc:root@host:tank\]: "ssh:abc:root@host:tank": port "abc" is not a number.*; this section is skipped/,
      ),
      expect.stringMatching(/:11: warning: \[backup\] dest_auto_create: has 1 entry for 2 destinations/),
      expect.stringMatching(/:12: error: \[backup\] prefix: "bad@prefix" cannot start a snapshot name/),
    ]);
    expect(f.counts).toEqual({ errors: 3, warnings: 4 });
  });

  it('says that a # after a value is not a comment (configparser has no inline comments)', () => {
    const g = parse('[tank]\ndest = tank2\ncompress = lzop   # fast\nsnap = yes ; always\nclean = yes\n');
    expect(lines(g)).toEqual([
      expect.stringMatching(
        /:3: warning: \[tank\] compress: .*text after "#" is part of the value, not a comment; put comments on a line of their own/,
      ),
      expect.stringMatching(/:4: warning: \[tank\] snap: .*not yes or no.*a comment after a value is part of the value/),
    ]);
    expect(parse('[tank]\nhourly = 24\nnotify_url = https://h/x#frag\n').issues).toEqual([]);
  });

  it('turns warnings into errors with strict = yes', () => {
    const s = parse('[DEFAULT]\nstrict = yes\n[tank]\nclean = true\n');
    expect(s.counts.errors).toBe(1);
  });

  it('parses the shipped sample without a single issue', () => {
    expect(parse(SAMPLE_CONFIG).issues).toEqual([]);
  });

  it('accepts per-destination lists with one entry per ssh destination (pyznap indexing)', () => {
    const g = parse(
      '[tank]\ndest = backup/x, ssh::u@h:p/x, ssh:22:u@h2:p/x\ndest_keys = /k1, /k2\ncompress = lzop, none\nraw_send = no, yes, no\n',
    );
    expect(g.issues).toEqual([]);
  });

  it('reads a local pool named ssh… as local (pyznap misread it as remote)', () => {
    const g = parse('[sshpool/data]\nsnap = yes\n');
    expect(g.sections[0]!.location).toEqual({ kind: 'zfs', endpoint: { kind: 'local' }, dataset: 'sshpool/data' });
  });

  it('defaults the prefix to pyznap in a file named pyznap.conf', () => {
    const p = parsePolicyText('[tank]\nhourly = 1\n', '/etc/pyznap/pyznap.conf');
    expect(p.trees[0]!.policy.prefix).toBe('pyznap');
    expect(parse('[tank]\n').trees[0]!.policy.prefix).toBe('holdfast');
  });
});

describe('inheritance follows the dataset tree, not the file order', () => {
  const resolve = (text: string, section: string) => {
    const f = parse(text);
    return f.trees.find((s) => s.name === section)!.policy;
  };

  it('takes unset keys from the nearest configured ancestor, whatever the order', () => {
    const a = '[a]\nhourly = 1\n[a/b/c]\ndaily = 3\n[a/b]\nhourly = 2\n';
    const b = '[a/b]\nhourly = 2\n[a/b/c]\ndaily = 3\n[a]\nhourly = 1\n';
    expect(resolve(a, 'a/b/c').counts).toEqual({ hourly: 2, daily: 3 });
    expect(resolve(b, 'a/b/c').counts).toEqual({ hourly: 2, daily: 3 });
  });

  it('never feeds [tank/database] from [tank/data], nor [tank2/x] from [tank]', () => {
    const t = '[tank]\nhourly = 1\n[tank/data]\nhourly = 5\n[tank/database/x]\n[tank2/y]\n';
    expect(resolve(t, 'tank/database/x').counts.hourly).toBe(1);
    expect(resolve(t, 'tank2/y').counts.hourly).toBeUndefined();
  });

  it('falls back to [DEFAULT] only where no ancestor sets the key', () => {
    const t = '[DEFAULT]\nhourly = 9\ndaily = 4\n[tank]\nhourly = 24\n[tank/x]\n';
    expect(resolve(t, 'tank/x').counts).toEqual({ hourly: 24, daily: 4 });
  });

  it('treats ssh::u@h and ssh:22:u@h as the same host', () => {
    const t = '[ssh::u@h:pool]\nhourly = 3\n[ssh:22:u@h:pool/x]\n';
    expect(resolve(t, 'ssh:22:u@h:pool/x').counts.hourly).toBe(3);
  });

  it('guards a type whose count is unset next to a misspelt key (pyznap would delete them all)', () => {
    const p = resolve('[tank]\nhourley = 24\nclean = yes\n[tank/x]\n', 'tank/x');
    expect(p.guardedTypes.get('hourly')).toMatch(/"hourley" \(line 2, \[tank\]\) looks like a misspelt hourly/);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCronFile } from '../../src/app/install/cron-syntax.js';

// The strict /etc/cron.d reader doctor and these tests use: it accepts what Debian's cron runs
// and names every line cron would skip.
describe('parseCronFile', () => {
  it('reads the shipped example: two root jobs, snap every 15 minutes and send at 01:30', () => {
    const { jobs, issues } = parseCronFile(readFileSync(new URL('../../examples/cron.d/holdfast', import.meta.url), 'utf8'));
    expect(issues).toEqual([]);
    expect(jobs.map((j) => [j.fields.join(' '), j.user, j.command.split(' ').slice(0, 2).join(' ')])).toEqual([
      ['*/15 * * * *', 'root', '/usr/local/bin/holdfast snap'],
      ['30 1 * * *', 'root', '/usr/local/bin/holdfast send'],
    ]);
  });

  it('accepts the forms crontab(5) documents', () => {
    const ok = [
      '0-59/5 0,12 1-31 jan mon root x',
      '* * * * 7 root x',
      '5 4 * * sun root x',
      '@reboot root x',
      '@daily  root /bin/true',
      '*/15 * * * * root a \\% b',
      'MAILTO=""',
      'PATH = /bin',
      '# c',
      '   ',
    ];
    for (const line of ok) expect(parseCronFile(`${line}\n`).issues, line).toEqual([]);
  });

  it('names each line cron would skip, and why', () => {
    const bad: [string, RegExp][] = [
      ['60 * * * * root x', /minute 60 is outside 0-59/],
      ['* 24 * * * root x', /hour 24 is outside 0-23/],
      ['* * 0 * * root x', /day of month 0 is outside 1-31/],
      ['* * * 13 * root x', /month 13 is outside 1-12/],
      ['* * * * 8 root x', /day of week 8 is outside 0-7/],
      ['*/0 * * * * root x', /step \/0 is out of range/],
      ['5-1 * * * * root x', /runs backwards/],
      ['5/2 * * * * root x', /a step needs \* or a range/],
      ['* * * jan-mar * root x', /names cannot be used in a range/],
      ['* * * foo * root x', /"foo" is not a number or a three-letter name/],
      ['* * * * * x', /expected 5 time fields, a user and a command/],
      ['*/15 * * * * /usr/bin/holdfast snap', /is not a user name/],
      ['@sometimes root x', /unknown keyword/],
      ['* * * * * root date +%s', /unescaped %/],
    ];
    for (const [line, re] of bad) {
      const { issues, jobs } = parseCronFile(`${line}\n`);
      expect(issues.map((i) => i.message).join('; '), line).toMatch(re);
      expect(jobs).toEqual([]);
    }
    expect(parseCronFile('* * * * * root x').issues[0]?.message).toMatch(/no newline/);
  });
});

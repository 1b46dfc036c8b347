import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { type TestPool, createPool, zfs } from '../helpers/zfs-lab.js';
import { fill } from './send-support.js';

// Every log line is rendered from a typed event: the text line a cron log gets and pino's JSON
// line (--log-json) carry the same words, and the JSON line carries the event's fields too, so
// a log collector filters on dataset, snapshot, destination, bytes or stage instead of parsing
// text. Real snap and send runs on a zfs-fuse pool.
let pool: TestPool;
let P: string;
const locks = lockDir();

interface Line {
  readonly level: number;
  readonly name: string;
  readonly msg: string;
  readonly kind: string;
  readonly [field: string]: unknown;
}

const jsonLines = (stderr: string): Line[] =>
  stderr
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);

beforeAll(async () => {
  pool = await createPool('lj', 128);
  P = pool.name;
  await zfs('create', `${P}/data`);
  await fill(`${P}/data`, 1);
});
afterAll(async () => pool?.destroy());

describe('--log-json: the events and their fields', () => {
  const conf = (): string =>
    writeConfig(`[${P}/data]\nfrequent = 2\nsnap = yes\nclean = yes\ndest = ${P}/copy\n[${P}/absent]\nfrequent = 1\nsnap = yes\n`);

  it('snap: took (datasets, snapshot, type), the failed dataset (stage, target) and the summary; the text log has the same words', async () => {
    const c = conf();
    const r = await holdfast(['--log-json', '--config', c, '--lock-dir', locks, 'snap'], { faketime: '2026-03-01 10:45:00' });
    expect(r.code, r.stderr).toBe(1);
    const lines = jsonLines(r.stderr);
    const snapshot = 'holdfast_2026-03-01_10:45:00_frequent';
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 30,
        name: 'holdfast',
        kind: 'took',
        datasets: [`${P}/data`],
        snapshot,
        type: 'frequent',
        call: 'single',
        msg: `took ${P}/data@${snapshot}`,
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        kind: 'failed',
        stage: 'list',
        target: `${P}/absent`,
        message: expect.stringContaining('does not exist'),
        msg: expect.stringMatching(new RegExp(`^list ${P}/absent: dataset ${P}/absent does not exist`)),
      }),
    );
    expect(lines.at(-1)).toMatchObject({ level: 50, kind: 'snap-summary', taken: 1, destroyed: 0, failed: [`${P}/absent`] });

    const t = await holdfast(['--config', c, '--lock-dir', locks, 'snap'], { faketime: '2026-03-01 10:46:00' });
    expect(t.stderr).toMatch(new RegExp(`^\\S+ INFO  took ${P}/data@holdfast_2026-03-01_10:46:00_frequent$`, 'm'));
    expect(t.stderr).toMatch(new RegExp(`^\\S+ ERROR list ${P}/absent: dataset ${P}/absent does not exist`, 'm'));
    expect(t.stderr).not.toMatch(/kind=|"kind"/); // the text line is the event's text alone
  });

  it('send -v: every command (host, exit code, ms), sent (dataset, snapshot, destination, bytes, transfer) and the summary', async () => {
    const r = await holdfast(['--log-json', '-v', '--config', conf(), '--lock-dir', locks, 'send']);
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(r.stderr);
    const [full, incremental] = lines.filter((l) => l.kind === 'sent');
    const first = 'holdfast_2026-03-01_10:45:00_frequent';
    expect(full, r.stderr).toMatchObject({
      level: 30,
      dataset: `${P}/data`,
      snapshot: first,
      destination: `${P}/copy`,
      transfer: 'full',
      bytes: expect.any(Number),
      ms: expect.any(Number),
      msg: expect.stringMatching(new RegExp(`^sent ${P}/data@${first} → ${P}/copy \\(full\\): 1\\.0 MiB in \\d+\\.\\d s \\(`)),
    });
    expect(full!.bytes as number).toBeGreaterThan(1024 * 1024);
    expect(incremental).toMatchObject({
      snapshot: 'holdfast_2026-03-01_10:46:00_frequent',
      transfer: 'incremental',
      flag: '-I',
      from: first,
      bytes: expect.any(Number),
    });
    const commands = lines.filter((l) => l.kind === 'command');
    expect(commands.length).toBeGreaterThan(2);
    for (const c of commands) expect(c).toMatchObject({ level: 20, command: expect.stringMatching(/^zfs /), exitCode: expect.any(Number) });
    expect(commands).toContainEqual(expect.objectContaining({ command: expect.stringMatching(/^zfs hold holdfast:/), exitCode: 0 }));
    expect(lines.at(-1)).toMatchObject({ kind: 'send-summary', streams: 2, bytes: expect.any(Number), failed: [] });
  });
});

import { chmodSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { type TestPool, createPool, zfs } from '../helpers/zfs-lab.js';
import { type HttpSink, startHttpSink } from '../ops/http-sink.js';

// Notifications end to end: a real snap run on zfs-fuse POSTs its JSON summary to a local
// HTTP server; the summary and the log hold no secret; a dead or hung endpoint, or a failing
// command, never changes the run's exit code.
let pool: TestPool;
let sink: HttpSink;
beforeAll(async () => {
  pool = await createPool('nt', 128);
  await zfs('create', `${pool.name}/data`);
  sink = await startHttpSink();
});
afterAll(async () => {
  await sink?.close();
  await pool?.destroy();
});

// pool/data snaps fine; pool/missing does not exist, so the run fails (exit 1) when `failing`.
function config(defaults: string, failing = true): string {
  const path = writeConfig(
    `[DEFAULT]\n${defaults}\n[${pool.name}/data]\nfrequent = 1\nsnap = yes\nclean = yes\n${failing ? `[${pool.name}/missing]\nfrequent = 1\nsnap = yes\n` : ''}`,
  );
  chmodSync(path, 0o600);
  return path;
}
const snap = (conf: string) => holdfast(['--config', conf, '--lock-dir', lockDir(), 'snap']);

describe('notifications', () => {
  it('a failed run POSTs its JSON summary; no secret reaches the body or the log', async () => {
    const port = new URL(sink.base).port;
    const conf = config(`notify_url = http://user:s3cret@127.0.0.1:${port}/hook/T0KEN-abc123?token=qq9`);
    const before = sink.received.length;
    const r = await snap(conf);
    expect(r.code).toBe(1);
    const got = sink.received.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ method: 'POST', url: '/hook/T0KEN-abc123?token=qq9' });
    expect(got[0]?.headers['content-type']).toBe('application/json');
    expect(got[0]?.headers.authorization).toBe(`Basic ${Buffer.from('user:s3cret').toString('base64')}`);
    const body = JSON.parse(got[0]!.body);
    expect(body).toMatchObject({
      version: '0.1.0',
      command: 'snap',
      host: hostname(),
      status: 'failed',
      exitCode: 1,
      counts: { taken: 1, destroyed: 0, datasets: 1 },
      failures: [{ target: `${pool.name}/missing`, stage: 'list', message: expect.stringContaining('does not exist') }],
    });
    expect(Date.parse(body.ended) - Date.parse(body.started)).toBe(body.durationMs);
    for (const secret of ['s3cret', 'T0KEN', 'qq9']) {
      expect(got[0]!.body).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
    expect(r.stderr).toContain(`INFO  notified http://127.0.0.1:${port}/hook/…?… (HTTP 200)`);
  });

  it('notify_on = failure (the default) stays quiet after a clean run; always does not', async () => {
    const before = sink.received.length;
    expect((await snap(config(`notify_url = ${sink.base}/quiet`, false))).code).toBe(0);
    expect(sink.received.length).toBe(before);
    expect((await snap(config(`notify_url = ${sink.base}/ping/{exit_code}\nnotify_on = always`, false))).code).toBe(0);
    expect(sink.received.slice(before).map((x) => x.url)).toEqual(['/ping/0']);
  });

  it('a dead endpoint does not fail the run, and a hung one holds it for 5 s at most', async () => {
    const gone = await startHttpSink();
    await gone.close(); // nothing listens there any more
    expect((await snap(config(`notify_url = ${gone.base}/hook\nnotify_on = always`, false))).code).toBe(0);
    const failing = await snap(config(`notify_url = ${gone.base}/hook`));
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain(`WARN  notification to ${gone.base}/hook failed: connection refused; the run's result stands`);
    const hung = await startHttpSink('hang');
    try {
      const t0 = Date.now();
      const r = await snap(config(`notify_url = ${hung.base}/x\nnotify_on = always`, false));
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('failed: no answer within 5 s');
      expect(Date.now() - t0).toBeLessThan(12_000);
    } finally {
      await hung.close();
    }
  });

  it('notify_command gets the summary on stdin; not from a world-writable file; its failure changes nothing', async () => {
    const file = join(dirname(writeConfig('')), 'summary.json');
    const conf = config(`notify_command = /bin/sh -c 'cat > ${file}; echo "$HOLDFAST_STATUS $HOLDFAST_EXIT_CODE" >> ${file}.env'`);
    expect((await snap(conf)).code).toBe(1);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ command: 'snap', exitCode: 1 });
    expect(readFileSync(`${file}.env`, 'utf8')).toBe('failed 1\n');
    chmodSync(conf, 0o666);
    const refused = await snap(conf);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`failed: not run: ${conf} is writable by everyone (chmod 600 ${conf})`);
    const bad = await snap(config("notify_command = /bin/sh -c 'echo nope >&2; exit 7'"));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('WARN  notification to command /bin/sh failed: exit 7: nope');
  });

  it('a run that cannot start (lock held) is a run-wide failure: everyone hears it, exit 3 stands', async () => {
    const locks = lockDir();
    const holder = spawn('flock', [join(locks, 'snap.lock'), 'sleep', '5'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    const before = sink.received.length;
    const r = await holdfast(['--config', config(`notify_url = ${sink.base}/lock`, false), '--lock-dir', locks, 'snap']);
    holder.kill();
    expect(r.code).toBe(3);
    const body = JSON.parse(sink.received[before]!.body);
    expect(body).toMatchObject({
      exitCode: 3,
      status: 'failed',
      failures: [{ target: 'run', stage: 'snap', message: expect.stringMatching(/^another holdfast run holds/) }],
    });
  });

  it('so is a policy file with errors (exit 2): its valid notify settings still report it', async () => {
    const before = sink.received.length;
    const conf = writeConfig(`[DEFAULT]\nnotify_url = ${sink.base}/broken\n[${pool.name}/data]\nhourly = many\n`);
    const r = await snap(conf);
    expect(r.code).toBe(2);
    expect(JSON.parse(sink.received[before]!.body)).toMatchObject({
      exitCode: 2,
      failures: [{ target: 'run', message: expect.stringContaining('1 error; nothing was done') }],
    });
  });
});

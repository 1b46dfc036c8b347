import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CommandRunner } from '../../src/adapters/exec/runner.js';
import { SshConnections } from '../../src/adapters/exec/ssh.js';
import { start } from '../../src/adapters/exec/process.js';
import { StoppedError } from '../../src/adapters/exec/stop-child.js';
import { runPipeline } from '../../src/adapters/pipeline/run.js';
import { textOf } from '../../src/app/log/events.js';
import { memoryLog, quietLog as quiet } from '../support/log.js';
import { jobDoing, transferDoing } from '../../src/app/send/interrupt.js';
import { Interruption, type SignalSource, quietOnAbort } from '../../src/cli/interrupt.js';
import type { Endpoint } from '../../src/domain/endpoint.js';

const LOCAL: Endpoint = { kind: 'local' };
const source = (): SignalSource & EventEmitter => new EventEmitter() as SignalSource & EventEmitter;

describe('Interruption: the process-wide handler of SIGINT, SIGTERM and SIGHUP', () => {
  it('the first signal aborts the run and records what it was doing; 128 + the signal number', async () => {
    const stop = new Interruption({ what: 'send', next: 'the next run plans again' });
    const src = source();
    const exits: number[] = [];
    stop.listen(src, (c) => exits.push(c));
    await stop.during({ what: 'send a@2 → b (incremental from @1)', next: 'the next run sends again from @1' }, async () => {
      src.emit('SIGTERM', 'SIGTERM');
    });
    expect(stop.signal.aborted).toBe(true);
    expect(stop.code).toBe(143);
    // recorded when the signal came, though the activity has ended since
    expect(textOf(stop.event())).toBe('interrupted by SIGTERM during send a@2 → b (incremental from @1); the next run sends again from @1');
    expect(exits).toEqual([]);
  });

  it('a second signal exits at once, with 128 + its own number', () => {
    const stop = new Interruption({ what: 'snap' });
    const src = source();
    const exits: number[] = [];
    stop.listen(src, (c) => exits.push(c));
    src.emit('SIGHUP', 'SIGHUP');
    expect(stop.code).toBe(129);
    src.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
    expect(textOf(stop.event())).toBe('interrupted by SIGHUP during snap');
  });

  it('outside any activity the command itself is named; unlisten detaches every handler', () => {
    const stop = new Interruption({ what: 'snap', next: 'the next run takes what is due' });
    const src = source();
    const off = stop.listen(src, () => undefined);
    expect(src.listenerCount('SIGINT') + src.listenerCount('SIGTERM') + src.listenerCount('SIGHUP')).toBe(3);
    src.emit('SIGINT', 'SIGINT');
    expect(textOf(stop.event())).toBe('interrupted by SIGINT during snap; the next run takes what is due');
    off();
    expect(src.listenerCount('SIGINT') + src.listenerCount('SIGTERM') + src.listenerCount('SIGHUP')).toBe(0);
  });

  it('settle: the body outcome; once interrupted, a body that does not end is given up on after the grace', async () => {
    const stop = new Interruption({ what: 'x' });
    expect(await stop.settle(Promise.resolve(3))).toEqual({ value: 3 });
    const err = new Error('no');
    expect(await stop.settle(Promise.reject(err))).toEqual({ error: err });
    const src = source();
    stop.listen(src, () => undefined);
    const hung = stop.settle(new Promise<number>(() => undefined), 50);
    src.emit('SIGTERM', 'SIGTERM');
    expect(await hung).toEqual({ late: true });
  });

  it('the run log goes quiet once interrupted (the interruption has its one line)', () => {
    const { log, lines } = memoryLog();
    const ctl = new AbortController();
    const q = quietOnAbort(log, ctl.signal);
    q.event({ kind: 'notified', target: 'before', detail: 'HTTP 200' });
    ctl.abort();
    q.event({ kind: 'failed', stage: 'send', target: 'a → b', message: 'stage zfs receive exited 143' });
    expect(lines).toEqual(['INFO notified before (HTTP 200)']);
  });
});

describe('what the next run does, by transfer', () => {
  it('says it accurately for atomic and resumable receives', () => {
    const inc = { kind: 'incremental', from: 's1', to: 's2', flag: '-I' } as const;
    expect(transferDoing('t/a@s2 → b/a', inc, false)).toEqual({
      what: 'send t/a@s2 → b/a (incremental from @s1)',
      next: 'nothing was half-applied (zfs receive applies a stream whole or not at all): the next run sends again from @s1, which stays held',
    });
    expect(transferDoing('t/a@s2 → b/a', inc, true).next).toBe(
      'nothing was half-applied: zfs receive -s kept what arrived aside, and the next run resumes from its resume token (if none was saved, it sends again from @s1, which stays held)',
    );
    expect(transferDoing('t/a@s1 → b/a', { kind: 'full', snapshot: 's1', force: false }, false).next).toMatch(
      /the next run starts the full send again$/,
    );
    expect(transferDoing('t/a@s2 → b/a', { kind: 'resume', token: '1-x', to: 's2' }, true).what).toBe(
      'send t/a@s2 → b/a (resuming a partial receive)',
    );
    expect(jobDoing('t/a → b/a').what).toBe('send t/a → b/a');
  });
});

describe('adapters stop their children when the run is interrupted', () => {
  it('the process layer: SIGTERM, then SIGKILL for a child that ignores it', async () => {
    const ctl = new AbortController();
    const child = start(['sh', '-c', 'trap "" TERM; sleep 30'], { stdio: ['ignore', 'ignore', 'ignore'], stop: ctl.signal, graceMs: 200 });
    const ended = child.exit.then((e) => e.signal ?? null);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    ctl.abort();
    expect(await ended).toBe('SIGKILL');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
  });

  it('the runner ends the command running and refuses new ones', async () => {
    const ctl = new AbortController();
    const runner = new CommandRunner(new SshConnections(), quiet, false, ctl.signal);
    const running = runner.run({ argv: ['sleep', '30'], endpoint: LOCAL, mutates: false });
    setTimeout(() => ctl.abort(), 100);
    const r = await running;
    expect(r.exitCode).toBe(143);
    expect(r.ms).toBeLessThan(5000);
    await expect(runner.run({ argv: ['true'], endpoint: LOCAL, mutates: false })).rejects.toBeInstanceOf(StoppedError);
  });

  it('a pipeline: every stage gets SIGTERM at once (no failure grace); none starts after', async () => {
    const ctl = new AbortController();
    const p = {
      stages: [
        { argv: ['sleep', '30'], endpoint: LOCAL, role: 'send' as const },
        { argv: ['cat'], endpoint: LOCAL, role: 'receive' as const },
      ],
    };
    const running = runPipeline(p, { ssh: (_e, remote) => [...remote], graceMs: 10_000, signal: ctl.signal });
    setTimeout(() => ctl.abort(), 100);
    const t0 = Date.now();
    const r = await running;
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.ok).toBe(false);
    expect(r.units.map((u) => u.code)).toContain(143);
    await expect(runPipeline(p, { ssh: (_e, remote) => [...remote], signal: ctl.signal })).rejects.toBeInstanceOf(StoppedError);
  });
});

import { readdirSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Pipeline, type Stage, printPipeline } from '../../src/adapters/pipeline/pipeline.js';
import { runPipeline } from '../../src/adapters/pipeline/run.js';
import type { Endpoint } from '../../src/domain/endpoint.js';

const LOCAL: Endpoint = { kind: 'local' };
const FAR: Endpoint = { kind: 'ssh', host: 'far', user: 'root', port: 2222 };
const st = (argv: string[], role: Stage['role'] = 'other', endpoint: Endpoint = LOCAL): Stage => ({ argv, endpoint, role });
// "Remote" segments run here through the same stage script: ssh is replaced by nothing.
const run = (p: Pipeline, extra: Partial<Parameters<typeof runPipeline>[1]> = {}) =>
  runPipeline(p, { ssh: (_e, remote) => [...remote], graceMs: 500, ...extra });

describe('printing', () => {
  it('is one copy-pasteable line with the remote part quoted once', () => {
    const p: Pipeline = {
      stages: [
        st(['zfs', 'send', '-I', 'tank/a b@s1', 'tank/a b@s2'], 'send'),
        st(['lzop'], 'compress'),
        st(['mbuffer', '-q', '-s', '128K', '-m', '64M'], 'buffer', FAR),
        st(['lzop', '-dfc'], 'decompress', FAR),
        st(['zfs', 'receive', '-u', 'bk/a b'], 'receive', FAR),
      ],
    };
    expect(printPipeline(p)).toBe(
      `zfs send -I 'tank/a b@s1' 'tank/a b@s2' | lzop | ssh -p 2222 root@far 'mbuffer -q -s 128K -m 64M | lzop -dfc | zfs receive -u '\\''bk/a b'\\'''`,
    );
  });
});

describe('running, fd to fd', () => {
  it('wires the stages and returns what the last one printed', async () => {
    const r = await run({ stages: [st(['printf', 'a\\nb\\n']), st(['tr', 'a-z', 'A-Z']), st(['cat'])] });
    expect(r.ok).toBe(true);
    expect(r.stdout).toBe('A\nB\n');
  });

  it('moves 256 MiB without the bytes passing through node', async () => {
    const before = process.cpuUsage();
    const r = await run({ stages: [st(['head', '-c', '268435456', '/dev/zero']), st(['cat']), st(['wc', '-c'])] });
    const cpu = process.cpuUsage(before);
    expect(r.stdout.trim()).toBe('268435456');
    // Reading 256 MiB through a JS stream costs far more than 0.15 s of CPU.
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(0.15);
  });

  it('leaves the parent no end of the sockets between stages', async () => {
    const link = (path: string): string => {
      try {
        return readlinkSync(path);
      } catch {
        return '';
      }
    };
    let between: string[] = [];
    let parent = new Set<string>();
    const r = await run(
      { stages: [st(['sleep', '0.3']), st(['cat']), st(['cat'])] },
      {
        onStart: (procs) => {
          // each hop's two ends: the writer's stdout and the reader's stdin
          between = procs.slice(1).flatMap((p, i) => [link(`/proc/${procs[i]!.pid}/fd/1`), link(`/proc/${p.pid}/fd/0`)]);
          parent = new Set(readdirSync('/proc/self/fd').map((fd) => link(`/proc/self/fd/${fd}`)));
        },
      },
    );
    expect(r.ok).toBe(true);
    expect(between).toHaveLength(4);
    for (const s of between) expect(s).toMatch(/^socket:\[\d+\]$/);
    expect(between.filter((s) => parent.has(s))).toEqual([]);
  });

  it('blames the failing stage, not the stage that got a broken pipe', async () => {
    const r = await run({
      stages: [
        st(['yes'], 'send'),
        st(['sh', '-c', 'head -c 100 >/dev/null; echo corrupt input >&2; exit 3'], 'decompress'),
        st(['cat'], 'receive'),
      ],
    });
    expect(r.ok).toBe(false);
    expect(r.failed?.index).toBe(1);
    expect(r.failed?.code).toBe(3);
    expect(r.failed?.stderr).toContain('corrupt input');
    expect(r.units[0]?.code).not.toBe(0); // yes: SIGPIPE, or ECONNRESET on the socket pair
  });

  it('blames an upstream failure over the downstream stage it starved', async () => {
    const r = await run({
      stages: [
        st(['sh', '-c', 'echo partial; echo "no such dataset" >&2; exit 1'], 'send'),
        st(['sh', '-c', 'cat >/dev/null; echo "invalid stream" >&2; exit 1'], 'receive'),
      ],
    });
    expect(r.failed?.index).toBe(0);
    expect(r.failed?.stderr).toContain('no such dataset');
  });

  it('names a missing program (127)', async () => {
    const r = await run({ stages: [st(['printf', 'x']), st(['no-such-program-hf'], 'compress'), st(['cat'])] });
    expect(r.failed?.index).toBe(1);
    expect(r.failed?.code).toBe(127);
    expect(r.failed?.stderr).toMatch(/not found/);
  });

  it('ends the stages that would not end on their own', async () => {
    const t0 = Date.now();
    const r = await run({ stages: [st(['false'], 'send'), st(['sleep', '30'], 'receive')] });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.failed?.index).toBe(0);
    expect(r.units[1]?.killedByUs).toBe(true);
  });

  it('runs with setpriv --pdeathsig and still reports the real programs', async () => {
    const r = await run({ stages: [st(['printf', 'x']), st(['sh', '-c', 'cat; exit 4'])] }, { pdeathsig: true });
    expect(r.failed?.code).toBe(4);
    expect(r.failed?.name).toBe(`sh -c 'cat; exit 4'`);
  });
});

describe('remote segments', () => {
  it('learns each remote stage status through the stage script', async () => {
    const r = await run({
      stages: [
        st(['printf', 'hello']),
        st(['cat'], 'buffer', FAR),
        st(['sh', '-c', 'cat >/dev/null; echo bad >&2; exit 5'], 'decompress', FAR),
        st(['cat'], 'receive', FAR),
      ],
    });
    expect(r.failed?.index).toBe(2);
    expect(r.failed?.code).toBe(5);
    expect(r.failed?.endpoint).toEqual(FAR);
    expect(r.failed?.stderr).toContain('bad');
    expect(r.failed?.stderr).not.toContain('#holdfast-stage');
  });

  it('puts the connection between the remote senders and the local receivers', async () => {
    const r = await run({ stages: [st(['printf', 'data'], 'send', FAR), st(['cat'], 'receive')] });
    expect(r.ok).toBe(true);
    expect(r.units.map((u) => u.role)).toEqual(['send', 'ssh', 'receive']);
    expect(r.stdout).toBe('data');
  });

  it('blames the connection when the remote side never reports', async () => {
    const r = await runPipeline(
      { stages: [st(['printf', 'data'], 'send'), st(['cat'], 'receive', FAR)] },
      { ssh: () => ['sh', '-c', 'echo "ssh: connect to host far port 2222: Connection refused" >&2; exit 255'], graceMs: 200 },
    );
    expect(r.failed?.role).toBe('ssh');
    expect(r.failed?.stderr).toContain('Connection refused');
  });
});

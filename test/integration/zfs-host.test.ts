import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRunner } from '../../src/adapters/exec/runner.js';
import { SshConnections } from '../../src/adapters/exec/ssh.js';
import { DatasetBusyError, DatasetExistsError, DatasetNotFoundError } from '../../src/adapters/zfs/errors.js';
import { ZfsHost } from '../../src/adapters/zfs/host.js';
import { quietLog as quiet } from '../support/log.js';
import { LOCAL } from '../../src/domain/endpoint.js';
import { type TestPool, createPool, destroyTree, snapshotsOf, zfs } from '../helpers/zfs-lab.js';

// The zfs adapter against real zfs-fuse: batched calls, and the fallback that keeps one bad
// dataset (vanished, busy, name taken) from costing the others their snapshot or destroy.
let pool: TestPool;
let host: ZfsHost;
let runner: CommandRunner;
beforeAll(async () => {
  pool = await createPool('zh', 128);
  runner = new CommandRunner(new SshConnections(), quiet, false);
  host = new ZfsHost(LOCAL, runner);
  for (const d of ['a', 'b', 'c', 'c/d']) await zfs('create', `${pool.name}/${d}`);
});
afterAll(async () => pool?.destroy());

describe('ZfsHost on zfs-fuse', () => {
  it('probes zfs-fuse once per run', async () => {
    const before = runner.spawned.get('zfs') ?? 0;
    expect((await host.capabilities()).flavor).toBe('zfs-fuse');
    await host.capabilities();
    expect((runner.spawned.get('zfs') ?? 0) - before).toBe(1);
  });

  it('lists a tree in one call, with a name holding a space', async () => {
    await zfs('create', `${pool.name}/with space`);
    await zfs('snapshot', '-r', `${pool.name}@s1`);
    const before = runner.spawned.get('zfs') ?? 0;
    const state = await host.listState([pool.name, `${pool.name}/a`]);
    expect((runner.spawned.get('zfs') ?? 0) - before).toBe(1);
    expect(state.datasets.get(`${pool.name}/with space`)?.snapshots.map((s) => s.name)).toEqual(['s1']);
  });

  it('a name already taken on one dataset fails only that dataset', async () => {
    const P = pool.name;
    await zfs('snapshot', `${P}/b@taken`);
    const covers = [P, `${P}/a`, `${P}/b`, `${P}/c`, `${P}/c/d`, `${P}/with space`];
    const r = await host.snapshot({ kind: 'snapshot', snapName: 'taken', type: 'hourly', recursive: true, targets: [P], covers });
    expect(r.failed.map((f) => f.target)).toEqual([`${P}/b`]);
    expect(r.failed[0]!.error).toBeInstanceOf(DatasetExistsError);
    expect(r.ok).toHaveLength(5);
    expect(await snapshotsOf(`${P}/c/d`)).toContain('taken');
  });

  it('a dataset that vanished after planning fails alone', async () => {
    const P = pool.name;
    await destroyTree(`${P}/c/d`);
    const r = await host.snapshot({
      kind: 'snapshot',
      snapName: 'after',
      type: 'hourly',
      recursive: false,
      targets: [`${P}/a`, `${P}/c/d`],
      covers: [`${P}/a`, `${P}/c/d`],
    });
    expect(r.ok).toEqual([`${P}/a`]);
    expect(r.failed[0]).toMatchObject({ target: `${P}/c/d` });
    expect(r.failed[0]!.error).toBeInstanceOf(DatasetNotFoundError);
  });

  it('a held snapshot inside a recursive destroy stays, the others go', async () => {
    const P = pool.name;
    await zfs('snapshot', '-r', `${P}@old`);
    await zfs('hold', 'keepme', `${P}/a@old`);
    const covers = [P, `${P}/a`, `${P}/b`].map((d) => ({ dataset: d, name: 'old' }));
    const r = await host.destroy({ kind: 'destroy', dataset: P, snapNames: ['old'], recursive: true, covers });
    expect(r.failed.map((f) => f.target)).toEqual([`${P}/a@old`]);
    expect(r.failed[0]!.error).toBeInstanceOf(DatasetBusyError);
    expect(await snapshotsOf(`${P}/b`)).not.toContain('old');
    expect(await snapshotsOf(`${P}/a`)).toContain('old');
    await zfs('release', 'keepme', `${P}/a@old`);
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandRunner } from '../../src/adapters/exec/runner.js';
import { SshConnections } from '../../src/adapters/exec/ssh.js';
import { runPipeline } from '../../src/adapters/pipeline/run.js';
import { printable } from '../../src/adapters/exec/printable.js';
import type { Endpoint } from '../../src/domain/endpoint.js';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { type TestSshd, startSshd } from '../helpers/sshd.js';
import { type TestPool, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { fill, held, treeOf } from './send-support.js';
import { quietLog } from '../support/log.js';

// Over a real sshd on loopback: push, pull, remote to remote relayed through this host,
// every compressor, names with spaces and colons, the quoting boundary, one connection per host.
let pool: TestPool;
let P: string;
let sshd: TestSshd;
const locks = lockDir();
let n = 0;

beforeAll(async () => {
  [pool, sshd] = await Promise.all([createPool('ssh', 192), startSshd({ hosts: ['127.0.0.1', '127.0.0.2'] })]);
  P = pool.name;
});
afterAll(async () => {
  await sshd?.stop();
  await pool?.destroy();
});

// -i is the destination's key when it is remote, else the source's (pyznap); -j/-k name each side.
const keys = (): string[] => ['-j', sshd.keyPath, '-k', sshd.keyPath, ...sshd.flags.slice(2)];
const send = (src: string, dst: string, ...args: string[]) =>
  holdfast(['--lock-dir', locks, 'send', '-s', src, '-d', dst, ...keys(), ...args]);
const connections = (): number =>
  readFileSync(sshd.logPath, 'utf8')
    .split('\n')
    .filter((l) => l.includes('Accepted publickey')).length;

async function tree(): Promise<{ src: string; dst: string }> {
  n++;
  const src = `${P}/s${n}`;
  await zfs('create', src);
  for (const c of ['with space', 'with space/a:b.c-d', 'sub']) await zfs('create', `${src}/${c}`);
  await fill(src, 1);
  await zfs('snapshot', '-r', `${src}@one`);
  await zfs('snapshot', '-r', `${src}@two`);
  return { src, dst: `${P}/d${n}` };
}

describe('one master connection per host per run, whatever runs in parallel', () => {
  it('three trees of eight datasets to one host, four transfers at once: one ssh connection, closed at the end', async () => {
    const roots = [1, 2, 3].map((i) => `${P}/fleet${i}`);
    for (const root of roots) {
      await zfs('create', root);
      for (const c of ['a', 'b', 'c']) {
        await zfs('create', `${root}/${c}`);
        await zfs('create', `${root}/${c}/x`);
      }
      await zfs('create', `${root}/d`);
      await zfs('snapshot', '-r', `${root}@one`);
    }
    const conf = writeConfig(
      [
        '[DEFAULT]',
        'send_parallel = 4',
        'host_parallel = 4',
        `ssh_options = UserKnownHostsFile=${sshd.knownHosts}, LogLevel=ERROR`,
        ...roots.flatMap((r) => [`[${r}]`, `dest = ${sshd.location(`${r}-copy`)}`, `dest_keys = ${sshd.keyPath}`]),
      ].join('\n'),
    );
    const before = connections();
    const r = await holdfast(['--lock-dir', locks, '--config', conf, 'send']);
    expect(r.code, r.stderr).toBe(0);
    for (const root of roots) expect(await treeOf(`${root}-copy`)).toEqual(await treeOf(root));
    expect(connections() - before).toBe(1);
    // The master is gone with the run: no session of it is left on the server.
    const masters = await run(['pgrep', '-f', `ssh .*-N -f .*${sshd.port}`]);
    expect(masters.stdout.trim()).toBe('');
    await zfs('snapshot', '-r', `${roots[0]}@two`);
    const again = connections();
    const r2 = await holdfast(['--lock-dir', locks, '--config', conf, 'send']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(connections() - again).toBe(1);
  });
});

describe.each([
  ['push', (d: string) => d, (d: string) => sshd.location(d)],
  ['pull', (d: string) => sshd.location(d), (d: string) => d],
  ['remote to remote', (d: string) => sshd.location(d, '127.0.0.1'), (d: string) => sshd.location(d, '127.0.0.2')],
] as const)('%s over ssh', (_, from, to) => {
  it('full, then incremental; names with spaces and colons; one ssh connection per host', async () => {
    const { src, dst } = await tree();
    const before = connections();
    const r = await send(from(src), to(dst), '--dest-auto-create');
    expect(r.code, r.stderr).toBe(0);
    expect(await treeOf(dst)).toEqual(await treeOf(src));
    const hosts = new Set([from(src), to(dst)].filter((l) => l.startsWith('ssh:')).map((l) => l.split(':')[2])).size;
    expect(connections() - before).toBe(hosts);
    await zfs('create', `${src}/later`);
    await zfs('snapshot', '-r', `${src}@three`);
    const r2 = await send(from(src), to(dst));
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).toContain('(-I from @two)');
    expect(await treeOf(dst)).toEqual(await treeOf(src));
    expect(await held(dst)).toEqual(['/later@three', '/sub@three', '/with space/a:b.c-d@three', '/with space@three', '@three']);
    // a destination-only snapshot is a conflict over ssh too; its commands name the host
    await zfs('snapshot', `${dst}@mine`);
    const c = await send(from(src), to(dst));
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/conflict: .*has 1 snapshot newer than the common base @three/);
    expect(c.stderr).toContain(`zfs destroy ${dst}@mine`);
  });
});

describe.each([
  ['push', (d: string) => d, (d: string) => sshd.location(d)],
  ['pull', (d: string) => sshd.location(d), (d: string) => d],
] as const)('pyznap scenarios, %s over ssh', (_, from, to) => {
  it('exclude (subtree), delete-sub, delete-old', async () => {
    n++;
    const src = `${P}/x${n}`;
    const dst = `${P}/y${n}`;
    for (const c of ['', '/sub1', '/sub1/deep', '/sub2', '/sub3']) await zfs('create', `${src}${c}`);
    await zfs('snapshot', '-r', `${src}@one`);
    await zfs('snapshot', '-r', `${src}@two`);
    const r = await send(from(src), to(dst), '--dest-auto-create', '-e', '*/sub1');
    expect(r.code, r.stderr).toBe(0);
    expect((await treeOf(dst)).filter((x) => !x.includes('@'))).toEqual(['/', '/sub2', '/sub3']);
    // delete-sub: a destination child is destroyed (its hold released first) ⇒ sent again in full
    await zfs(
      'release',
      '-r',
      `holdfast:${to(dst).startsWith('ssh:') ? `${sshd.user}@127.0.0.1:${sshd.port}:` : ''}${dst}`,
      `${dst}/sub2@two`,
    );
    await zfs('destroy', '-r', `${dst}/sub2`);
    // delete-old: the oldest source snapshot goes; the destination keeps its copy
    await zfs('destroy', '-r', `${src}@one`);
    await zfs('snapshot', '-r', `${src}@three`);
    const r2 = await send(from(src), to(dst), '-e', '*/sub1');
    expect(r2.code, r2.stderr).toBe(0);
    expect(await snapshotsOf(`${dst}/sub2`)).toEqual(['two', 'three']);
    expect(await snapshotsOf(dst)).toEqual(['one', 'two', 'three']);
  });
});

describe('compressors (push, then pull)', () => {
  it.each(['none', 'lzop', 'gzip', 'pigz', 'bzip2', 'xz', 'lz4', 'zstd'])('push with %s', async (c) => {
    const src = `${P}/c-${c}`;
    await zfs('create', src);
    await fill(src, 1);
    await zfs('snapshot', `${src}@s`);
    const r = await holdfast([
      '--lock-dir',
      locks,
      '--json',
      'send',
      '-s',
      src,
      '-d',
      sshd.location(`${P}/cd-${c}`),
      '-c',
      c,
      '--dest-auto-create',
      ...sshd.flags,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const pipeline: string = JSON.parse(r.stdout).jobs[0].datasets[0].transfers[0].pipeline;
    if (c === 'none')
      expect(pipeline).toMatch(/^zfs send \S+ \| pv -n -b -i 0\.5 \| mbuffer .* \| ssh /); // pv counts the stream for the progress lines
    else expect(pipeline).toContain(`| ${c}`);
    expect(await snapshotsOf(`${P}/cd-${c}`)).toEqual(['s']);
  });

  // Issue 10 item 8: a flag typed now is a usage error; the file keeps pyznap's tolerance.
  it('an unknown compressor: -c is a usage error; in the file a warning, and the stream goes uncompressed', async () => {
    const src = `${P}/c-abc`;
    await zfs('create', src);
    await fill(src, 1);
    await zfs('snapshot', `${src}@s`);
    const flag = await holdfast(['--lock-dir', locks, 'send', '-s', src, '-d', sshd.location(`${P}/cd-abc`), '-c', 'abc', ...sshd.flags]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('holdfast: send: -c "abc" is not a compressor; write one of none, lzop, lz4, zstd, gzip, pigz, bzip2, xz\n');
    const conf = writeConfig(
      `[DEFAULT]\nssh_options = ${sshd.flags
        .filter((f) => f !== '-o')
        .slice(2)
        .join(
          ', ',
        )}\n\n[${src}]\ndest = ${sshd.location(`${P}/cd-abc`)}\ndest_keys = ${sshd.keyPath}\ncompress = abc\ndest_auto_create = yes\n`,
    );
    const r = await holdfast(['--config', conf, '--lock-dir', locks, '--json', 'send']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${conf}:7: warning: [${src}] compress: "abc" is not a compressor`);
    expect(r.stderr).toContain('compressor "abc" is not supported');
    expect(JSON.parse(r.stdout).jobs[0].datasets[0].transfers[0].pipeline).toMatch(
      /^zfs send \S+ \| pv -n -b -i 0\.5 \| mbuffer .* \| ssh /,
    );
    expect(await snapshotsOf(`${P}/cd-abc`)).toEqual(['s']);
  });

  it.each(['none', 'lzop', 'lz4'])('pull with %s', async (c) => {
    const r = await holdfast([
      '--lock-dir',
      locks,
      'send',
      '-s',
      sshd.location(`${P}/c-${c}`),
      '-d',
      `${P}/pull-${c}`,
      '-c',
      c,
      '--dest-auto-create',
      ...sshd.flags,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(await snapshotsOf(`${P}/pull-${c}`)).toEqual(['s']);
  });

  it('a cipher and extra options are passed to ssh', async () => {
    const r = await holdfast([
      '--lock-dir',
      locks,
      'send',
      '-s',
      `${P}/c-none`,
      '-d',
      sshd.location(`${P}/cipher`),
      '--ssh-cipher',
      'aes128-ctr',
      '-o',
      'Compression=no',
      '--dest-auto-create',
      ...sshd.flags,
    ]);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('the quoting boundary (one quoting site: adapters/exec/ssh.ts)', () => {
  // ZFS forbids these characters in names, so they cannot reach zfs; what must hold is that any
  // argv arrives on the far side exactly as sent, through the real sshd and the remote shell.
  const WEIRD = [
    "it's",
    '"double"',
    '$HOME',
    '$(id)',
    '`id`',
    'a;b',
    'a && b',
    'new\nline',
    ' lead',
    'trail ',
    '*',
    '?',
    '~',
    '\\',
    '|',
    '',
    '#x',
    "'",
  ];
  const far = (): Endpoint => ({ kind: 'ssh', host: '127.0.0.1', user: sshd.user, port: sshd.port });
  const settings = () => ({ identity: () => sshd.keyPath, options: [`UserKnownHostsFile=${sshd.knownHosts}`, 'LogLevel=ERROR'] });

  it('a single remote command: printf %s\\0 returns every argument unchanged', async () => {
    const ssh = new SshConnections(settings());
    try {
      const r = await new CommandRunner(ssh, quietLog, false).run({ argv: ['printf', '%s\\0', ...WEIRD], endpoint: far(), mutates: false });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout.split('\0').slice(0, -1)).toEqual(WEIRD);
    } finally {
      ssh.close();
    }
  });

  it('eight commands started at once on a fresh host share one connection (the master opens first)', async () => {
    const ssh = new SshConnections(settings());
    const before = connections();
    try {
      const runner = new CommandRunner(ssh, quietLog, false);
      const rs = await Promise.all(
        Array.from({ length: 8 }, (_, i) => runner.run({ argv: ['echo', String(i)], endpoint: far(), mutates: false })),
      );
      for (const [i, r] of rs.entries()) expect(r.stdout, r.stderr).toBe(`${i}\n`);
    } finally {
      ssh.close();
    }
    expect(connections() - before).toBe(1);
  });

  it('the printed form (--dry-run, messages) pasted into a shell does the same: key, options and quoting included', async () => {
    const line = printable(far(), ['printf', '%s\\0', ...WEIRD], new SshConnections(settings()));
    expect(line).toMatch(/^ssh -i \S+ -o \S+ -o LogLevel=ERROR -p \d+ /);
    const r = await run(['sh', '-c', line]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(WEIRD);
  });

  it('a remote pipeline segment: the same, with each stage status reported', async () => {
    const ssh = new SshConnections(settings());
    try {
      const r = await runPipeline(
        {
          stages: [
            { argv: ['printf', '%s\\0', ...WEIRD], endpoint: far(), role: 'send' },
            { argv: ['cat'], endpoint: far(), role: 'other' },
            { argv: ['cat'], endpoint: { kind: 'local' }, role: 'receive' },
          ],
        },
        { ssh: (e, remote) => ssh.argv(e, remote) },
      );
      expect(r.ok, JSON.stringify(r.failed)).toBe(true);
      expect(r.stdout.split('\0').slice(0, -1)).toEqual(WEIRD);
      expect(r.units.map((u) => [u.role, u.code])).toEqual([
        ['send', 0],
        ['other', 0],
        ['ssh', 0],
        ['receive', 0],
      ]);
    } finally {
      ssh.close();
    }
  });

  it('a failing remote decompressor is named, with its status', async () => {
    const ssh = new SshConnections(settings());
    try {
      const r = await runPipeline(
        {
          stages: [
            { argv: ['printf', 'not lzop data'], endpoint: { kind: 'local' }, role: 'send' },
            { argv: ['lzop', '-dfc'], endpoint: far(), role: 'decompress' },
            { argv: ['cat'], endpoint: far(), role: 'receive' },
          ],
        },
        { ssh: (e, remote) => ssh.argv(e, remote) },
      );
      expect(r.failed?.name).toBe('lzop -dfc');
      expect(r.failed?.code).toBe(1);
      expect(r.failed?.stderr).toMatch(/lzop/);
    } finally {
      ssh.close();
    }
  });
});

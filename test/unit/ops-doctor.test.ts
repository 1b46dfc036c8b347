import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/app/doctor/run.js';
import { configFileCheck } from '../../src/app/doctor/checks/config-file.js';
import { lockDirCheck } from '../../src/app/doctor/checks/lock-dir.js';
import { diagnose } from '../../src/app/doctor/checks/ssh.js';
import { storesCheck } from '../../src/app/doctor/checks/stores.js';
import { toolsCheck } from '../../src/app/doctor/checks/tools.js';
import type { DoctorDeps } from '../../src/app/doctor/finding.js';
import { inventoryOf } from '../../src/app/doctor/inventory.js';
import { parsePolicyText } from '../../src/config/parse.js';
import type { Endpoint } from '../../src/domain/endpoint.js';

// doctor's checks against fakes: what each finds, and the fix each row carries.
const dir = mkdtempSync(join(tmpdir(), 'hf-doctor-'));

function deps(text: string, over: Partial<DoctorDeps> = {}): DoctorDeps {
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.conf`);
  writeFileSync(path, text);
  chmodSync(path, 0o600);
  const file = parsePolicyText(text, path);
  return {
    configPath: path,
    file,
    configError: undefined,
    inventory: inventoryOf(file),
    lockDir: join(dir, 'lock'),
    uid: 0,
    paths: { cronFile: join(dir, 'no-cron'), systemdDir: join(dir, 'no-systemd') },
    exec: async () => ({ exitCode: 0, stdout: '', stderr: '' }),
    zfs: () => {
      throw new Error('no zfs in unit tests');
    },
    openStore: async () => ({ check: async () => undefined, close: async () => undefined }),
    which: (p) => `/usr/bin/${p}`,
    tools: async () => new Set(['mbuffer', 'pv', 'lzop']),
    unreachable: new Set(),
    ...over,
  };
}

describe('inventory', () => {
  it("maps pyznap's per-destination lists: dest_keys and compress per ssh destination", () => {
    const inv = inventoryOf(
      parsePolicyText(
        '[tank/a]\nsnap = yes\ndest = bk/a, ssh:22:root@h1:p/a, ssh::u@h2:p/a, s3://bkt/x\ndest_keys = /k1, /k2\ncompress = zstd, none\ndest_auto_create = no, yes, no, no\n',
        '/x.conf',
      ),
    );
    expect(inv.destinations.map((d) => [d.index, d.compress, d.key ?? '-', d.autoCreate])).toEqual([
      [0, 'none', '-', false],
      [1, 'zstd', '/k1', true],
      [2, 'none', '/k2', false],
      [3, 'none', '-', false],
    ]);
    expect(inv.hosts.map((h) => [h.endpoint.kind === 'ssh' ? h.endpoint.host : 'local', h.key ?? '-'])).toEqual([
      ['local', '-'],
      ['h1', '/k1'],
      ['h2', '/k2'],
    ]);
  });
});

describe('inventory reads the destinations as send does (issue 11: dest routed once, in config/)', () => {
  it("takes [DEFAULT]'s per-destination lists, and an ssh source's one compress for every destination", () => {
    const d = inventoryOf(
      parsePolicyText('[DEFAULT]\ncompress = zstd\ndest_auto_create = yes\n[tank/a]\nsnap = yes\ndest = ssh:22:root@h1:p/a\n', '/x.conf'),
    ).destinations;
    expect(d.map((x) => [x.compress, x.autoCreate])).toEqual([['zstd', true]]);
    const s = inventoryOf(parsePolicyText('[ssh:22:root@src:tank/a]\nsnap = yes\ndest = bk/a, bk/b\ncompress = lz4\n', '/x.conf'));
    expect(s.destinations.map((x) => x.compress)).toEqual(['lz4', 'lz4']);
  });
});

describe('config file', () => {
  it('ok at 0600; writable by others is a warning with its chmod; missing is a failure with setup', async () => {
    const d = deps('[tank]\nhourly = 1\n');
    expect((await configFileCheck(d))[0]).toMatchObject({ status: 'ok', detail: 'owner uid 0, mode 0600' });
    chmodSync(d.configPath, 0o666);
    expect(await configFileCheck(d)).toEqual([
      {
        check: 'config',
        where: d.configPath,
        status: 'warn',
        detail: 'mode 0666: writable by group and others; notify_command will not run from it',
        fix: `chmod 600 ${d.configPath}`,
      },
    ]);
    const gone = await configFileCheck({ ...d, configPath: join(dir, 'nope.conf'), file: undefined, configError: 'no such file' });
    expect(gone[0]).toMatchObject({ status: 'fail', fix: expect.stringMatching(/^holdfast setup/) });
  });

  it('a world-readable file holding a notify_url is a warning', async () => {
    const d = deps('[DEFAULT]\nnotify_url = https://hc-ping.com/x\n[tank]\nhourly = 1\n');
    chmodSync(d.configPath, 0o644);
    expect((await configFileCheck(d)).map((r) => r.detail)).toEqual([
      'mode 0644: readable by everyone, and a notify_url usually holds a secret',
    ]);
  });
});

describe('lock directory', () => {
  it('a missing directory under a writable parent is fine; one under a file is not', async () => {
    const d = deps('[tank]\nhourly = 1\n');
    expect((await lockDirCheck(d))[0]).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^missing; runs create it/) });
    const bad = await lockDirCheck({ ...d, lockDir: join(d.configPath, 'lock') });
    expect(bad[0]).toMatchObject({ status: 'fail', fix: expect.stringContaining('--lock-dir') });
    const noFlock = await lockDirCheck({ ...d, which: () => undefined });
    expect(noFlock.at(-1)).toMatchObject({ status: 'fail', fix: 'apt install util-linux' });
  });
});

describe('ssh diagnosis', () => {
  const host = { endpoint: { kind: 'ssh' as const, host: 'backup', user: 'root', port: 2222 }, origin: { section: 'tank', line: 3 } };
  it('turns ssh stderr into a reason and a command', () => {
    expect(diagnose('root@backup: Permission denied (publickey).', 255, host, '/root/.ssh/k').fix).toBe(
      'ssh-copy-id -i /root/.ssh/k.pub -p 2222 root@backup',
    );
    expect(diagnose('ssh: connect to host backup port 2222: Connection refused', 255, host, undefined)).toEqual({
      detail: 'connection refused on port 2222',
      fix: 'start sshd on backup, or correct the port in [tank] (line 3)',
    });
    expect(diagnose('Host key verification failed.', 255, host, undefined).fix).toMatch(
      /ssh-keyscan -p 2222 backup >> ~\/.ssh\/known_hosts/,
    );
    expect(diagnose('ssh: Could not resolve hostname backup: Name or service not known', 255, host, undefined).detail).toBe(
      'host name backup not found',
    );
  });
});

describe('send tools', () => {
  it('checks mbuffer and the compressor on both ends of an ssh send, pv here; a missing one is a warning with apt install', async () => {
    const asked: Endpoint[] = [];
    const tools = async (e: Endpoint) => (asked.push(e), new Set(e.kind === 'local' ? ['mbuffer', 'lz4'] : ['mbuffer', 'pv']));
    const rows = await toolsCheck(deps('[tank/a]\nsnap = yes\ndest = ssh:22:root@backup:p/a, bk/a\ncompress = lz4\n', { tools }));
    expect(rows).toEqual([
      {
        check: 'tools',
        where: 'local',
        status: 'warn',
        detail: 'pv missing (destination 1 of [tank/a]; no progress display)',
        fix: 'apt install pv',
      },
      {
        check: 'tools',
        where: 'ssh:22:root@backup',
        status: 'warn',
        detail: 'lz4 missing (destination 1 of [tank/a]; send goes uncompressed)',
        fix: 'apt install lz4 on backup',
      },
    ]);
    expect(asked.map((e) => e.kind)).toEqual(['local', 'ssh']);
  });

  it('names an unknown compressor; a local-only send needs nothing', async () => {
    const rows = await toolsCheck(deps('[tank/a]\nsnap = yes\ndest = ssh:22:root@backup:p/a, bk/a\ncompress = lzma\n'));
    expect(rows[0]).toMatchObject({ status: 'warn', detail: 'compress "lzma" is not a known compressor (line 4)' });
    expect(await toolsCheck(deps('[tank/a]\nsnap = yes\ndest = bk/a\n'))).toEqual([]);
  });
});

describe('stores', () => {
  it("turns a store's typed error into a failing row with its fix", async () => {
    const err = Object.assign(
      new Error(
        's3://bkt/x: the server rejected the credentials (SignatureDoesNotMatch); check aws_secret_access_key in $AWS_SECRET_ACCESS_KEY',
      ),
      { name: 'S3AuthError' },
    );
    const missing = Object.assign(new Error('s3://nob: the bucket does not exist (NoSuchBucket)'), { name: 'S3BucketNotFoundError' });
    const d = deps('[tank/a]\nsnap = yes\ndest = s3://bkt/x, s3://nob\n', {
      openStore: async (url) => ({ check: async () => Promise.reject(url.includes('nob') ? missing : err), close: async () => undefined }),
    });
    expect(await storesCheck(d)).toEqual([
      {
        check: 's3',
        where: 's3://bkt/x',
        status: 'fail',
        detail: 's3://bkt/x: the server rejected the credentials (SignatureDoesNotMatch)',
        fix: 'check aws_secret_access_key in $AWS_SECRET_ACCESS_KEY',
      },
      {
        check: 's3',
        where: 's3://nob',
        status: 'fail',
        detail: 's3://nob: the bucket does not exist (NoSuchBucket)',
        fix: 'create the bucket (holdfast does not create buckets), or correct dest in [tank/a] (line 1)',
      },
    ]);
  });
});

describe('store settings', () => {
  it('settings that cannot work together fail before any request is made', async () => {
    let opened = 0;
    const d = deps('[tank/a]\nsnap = yes\ndest = file:///srv/bk\n', {
      storeProblem: async () => 'encrypt = yes in [file:///srv/bk] (line 4), but neither encryption_key_file nor encryption_key_env is set',
      openStore: async () => (opened++, { check: async () => undefined, close: async () => undefined }),
    });
    expect(await storesCheck(d)).toEqual([
      {
        check: 'store',
        where: 'file:///srv/bk',
        status: 'fail',
        detail: expect.stringMatching(/^encrypt = yes/),
        fix: 'correct the settings of [file:///srv/bk] (holdfast check shows them)',
      },
    ]);
    expect(opened).toBe(0);
  });
});

describe('runDoctor', () => {
  it('a check that throws becomes a failing row; the others still run', async () => {
    const boom = async function boomCheck(): Promise<never> {
      throw new Error('kaput');
    };
    const r = await runDoctor(deps('[tank]\nhourly = 1\n'), [boom, configFileCheck]);
    expect(r.findings.map((f) => [f.check, f.status])).toEqual([
      ['boom', 'fail'],
      ['config', 'ok'],
    ]);
    expect(r.failed).toBe(1);
  });
});

import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { run } from '../helpers/run.js';
import { SAMPLE_CONFIG } from '../../src/config/sample.js';

// The CLI surface that needs no pool: setup, check, help, version, logging formats.
describe('holdfast setup', () => {
  it('creates the directory (0755) and a sample (0644), says so, and never overwrites', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hf-setup-')), 'etc', 'holdfast');
    const r = await holdfast(['setup', '-p', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`created ${dir} (mode 0755)`);
    expect(r.stdout).toContain(`wrote ${dir}/holdfast.conf (mode 0644)`);
    expect(statSync(dir).mode & 0o777).toBe(0o755);
    expect(statSync(join(dir, 'holdfast.conf')).mode & 0o777).toBe(0o644);
    expect(readFileSync(join(dir, 'holdfast.conf'), 'utf8')).toBe(SAMPLE_CONFIG);
    writeFileSync(join(dir, 'holdfast.conf'), '# mine\n');
    const again = await holdfast(['setup', '-p', dir]);
    expect(again.stdout).toContain('exists; not overwritten');
    expect(readFileSync(join(dir, 'holdfast.conf'), 'utf8')).toBe('# mine\n');
  });
});

describe('holdfast check', () => {
  it('prints every issue with file:line and the resolved policy, exit 2 on errors', async () => {
    const conf = writeConfig('[tank]\nhourly = 24\nsnap = yes\n[tank/x]\ndaily = 7 # week\nhourley = 3\n');
    const r = await holdfast(['--config', conf, 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${conf}:5: error: [tank/x] daily: "7 # week" is not a whole number`);
    expect(r.stderr).toContain(`${conf}:6: warning: [tank/x] hourley: unknown key, ignored (as pyznap ignores it); did you mean "hourly"?`);
    expect(r.stdout).toMatch(/\[tank\/x\].*\n\s+hourly\s+24\s+\(from \[tank\]\)/);
  });

  it('exits 0 only for a clean file: 1 when it printed warnings, 2 with --strict (issue 10 item 7)', async () => {
    const conf = writeConfig('[tank]\nclean = true\n');
    const warned = await holdfast(['--config', conf, 'check']);
    expect(warned.code).toBe(1);
    expect(warned.stderr).toContain(`${conf}:2: warning: [tank] clean: "true" is not yes or no`);
    expect((await holdfast(['--config', conf, 'check', '--strict'])).code).toBe(2);
    expect((await holdfast(['--config', writeConfig('[tank]\nclean = yes\n'), 'check'])).code).toBe(0);
    expect((await holdfast(['check', '--help'])).stdout).toMatch(/Exit status: 0 the file is clean, 1 it has warnings/);
  });

  it('passes the file `holdfast setup` writes without a word of warning (item 11)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hf-setup-')), 'holdfast');
    expect((await holdfast(['setup', '-p', dir])).code).toBe(0);
    const conf = join(dir, 'holdfast.conf');
    const r = await holdfast(['--config', conf, 'check']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `${conf}: 0 errors, 0 warnings; no sections yet: snap and send do nothing until you add one, such as [tank/data]\n`,
    );
    const snap = await holdfast(['--config', conf, '--lock-dir', lockDir(), 'snap']);
    expect(snap.code).toBe(0);
    expect(snap.stderr).toContain(`WARN  snap: ${conf} has no sections yet; nothing to do until you add one, such as [tank/data]`);
  });

  it('rejects 5 MB of garbage and 5 MB of [tank/data] in under 3× the time of a one-line file, in at most 51 lines (item 6)', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const printable = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\t\n';
    const garbage = Array.from({ length: 5_000_000 }, () => printable[Math.floor(random() * printable.length)]).join('');
    // Against the same run's check of a one-line file (start-up alone), so a loaded machine
    // cannot fail it: the quadratic reader took 40× that (19 s), the linear one ~1.5×.
    const timed = async (conf: string) => {
      const started = Date.now();
      const r = await holdfast(['--config', conf, 'check']);
      return { r, ms: Date.now() - started };
    };
    const tiny = writeConfig('[tank/data]\nsnap = yes\nhourly = 1\n');
    const baseline = [(await timed(tiny)).ms, (await timed(tiny)).ms, (await timed(tiny)).ms].sort((a, b) => a - b)[1]!;
    for (const text of [garbage, '[tank/data]\n'.repeat(5_000_000 / 12)]) {
      const conf = writeConfig(text);
      const { r, ms } = await timed(conf);
      expect(r.code).toBe(2);
      expect(ms, `${ms} ms against ${baseline} ms for a one-line file`).toBeLessThan(3 * baseline);
      const lines = r.stderr.trim().split('\n');
      expect(lines.length).toBeLessThanOrEqual(53); // 50 problems, "… and N more", "not shown", the summary
      expect(lines.at(-3)).toMatch(new RegExp(`^… and \\d+ more in ${conf}; reading stopped at line \\d+: is this the policy file\\?$`));
      expect(r.stdout).toBe('');
    }
  });

  it('says in one line that a "]" is missing (item 6)', async () => {
    const conf = writeConfig('[tank/data\nhourly = 1\nsnap = yes\n');
    const r = await holdfast(['--config', conf, 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.includes(': error: '))).toEqual([
      `${conf}:1: error: the section header "[tank/data" has no closing "]"; write [tank/data]`,
    ]);
  });

  it('makes a count out of range an error at file:line, and stops every command (item 5)', async () => {
    const conf = writeConfig('[tank/data]\nsnap = yes\nhourly = 99999999999999999999\n');
    const r = await holdfast(['--config', conf, 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${conf}:3: error: [tank/data] hourly: 99999999999999999999 is more than 1000000, the most holdfast keeps of one type; write a count from 0 to 1000000`,
    );
    expect(r.stdout).not.toContain('1e+20');
    expect((await holdfast(['--config', conf, '--lock-dir', lockDir(), 'snap'])).code).toBe(2);
  });

  it('makes a key file that does not exist a config error at file:line (item 9)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hf-keys-'));
    writeFileSync(join(dir, 'id_ok'), 'not really a key\n');
    const conf = writeConfig(
      `[ssh::root@127.0.0.1:pool/data]\nkey = ${dir}/id_missing\nhourly = 1\nsnap = yes\n\n[tank/data]\ndest = ssh::root@nas:pool/a, ssh::root@nas2:pool/b\ndest_keys = ${dir}/id_ok, ${dir}\n`,
    );
    const r = await holdfast(['--config', conf, 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${conf}:2: error: [ssh::root@127.0.0.1:pool/data] key: ${dir}/id_missing does not exist; correct the path, or create the key: ssh-keygen -t ed25519 -f ${dir}/id_missing`,
    );
    expect(r.stderr).toContain(`${conf}:8: error: [tank/data] dest_keys: ${dir} is a directory, not a key file; correct the path`);
    const snap = await holdfast(['--config', conf, '--lock-dir', lockDir(), 'snap']);
    expect(snap.code).toBe(2);
    expect(snap.stderr).not.toContain('Permission denied');
  });

  it('--json gives issues and sections as data', async () => {
    const conf = writeConfig('[tank]\nhourly = 2\n', 'pyznap.conf');
    const j = JSON.parse((await holdfast(['--config', conf, '--json', 'check'])).stdout);
    expect(j.pyznapMode).toBe(true);
    expect(j.sections[0].values).toContainEqual({ key: 'prefix', value: 'pyznap', from: 'default' });
  });
});

describe('flags that name a compressor or a key (issue 10 items 8 and 9)', () => {
  const none = join(tmpdir(), 'hf-no-such-config.conf');
  it('an unknown -c is a usage error (exit 2) before anything runs', async () => {
    const r = await holdfast([
      '--config',
      none,
      '--lock-dir',
      lockDir(),
      'send',
      '-s',
      'nopool/a',
      '-d',
      'ssh::root@127.0.0.1:nopool/b',
      '-c',
      'lzo',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('holdfast: send: -c "lzo" is not a compressor; write one of none, lzop, lz4, zstd, gzip, pigz, bzip2, xz\n');
  });

  it('a key file given with -i, -j or -k that does not exist is a usage error naming the flag', async () => {
    for (const [flag, named] of [
      ['-i', '-i'],
      ['-j', '-j'],
      ['-k', '-k'],
      ['--key', '-i'],
    ] as const) {
      const r = await holdfast([
        '--config',
        none,
        '--lock-dir',
        lockDir(),
        'send',
        '-s',
        'ssh::root@127.0.0.1:nopool/a',
        '-d',
        'ssh::root@127.0.0.1:nopool/b',
        flag,
        '/nonexistent/id_x',
      ]);
      expect(r.code, flag).toBe(2);
      expect(r.stderr, flag).toBe(`holdfast: send: ${named} /nonexistent/id_x: no such file; give the path of an ssh private key\n`);
    }
    const tree = await holdfast(['--config', none, 'tree', '-i', '/nonexistent/id_x', 'ssh::root@127.0.0.1:nopool']);
    expect(tree.code).toBe(2);
    expect(tree.stderr).toBe('holdfast: -i /nonexistent/id_x: no such file; give the path of an ssh private key\n');
  });
});

describe('send: -d routed once by kind, its flags checked before anything runs (issue 11)', () => {
  const none = join(tmpdir(), 'hf-no-such-config.conf');
  const send = (...args: string[]) => holdfast(['--config', none, '--lock-dir', lockDir(), 'send', ...args]);

  it('a -d that is neither a dataset nor a store, or a bad -s before a store, is a usage error naming it', async () => {
    for (const [args, line] of [
      [
        ['-s', 'nopool/a', '-d', 's3://'],
        'destination (-d): "s3://" is not an s3 location; write s3://BUCKET/PREFIX (bucket: 3-63 lower-case letters, digits, . and -)',
      ],
      [['-s', 'nopool/a', '-d', 'file://rel'], 'destination (-d): "file://rel" is not a file location; write file:///ABSOLUTE/PATH'],
      [
        ['-s', 'nopool/a', '-d', 'btrfs:/x'],
        'destination (-d): btrfs:/x is not a zfs dataset (write a dataset or ssh:PORT:USER@HOST:DATASET)',
      ],
      [
        ['-s', 'ssh:abc:u@h:tank', '-d', 's3://bkt/x'],
        'source (-s): "ssh:abc:u@h:tank": port "abc" is not a number from 1 to 65535; write ssh:PORT:USER@HOST:DATASET, e.g. ssh:22:root@backup:tank/data',
      ],
    ] as const) {
      const r = await send(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toBe(`holdfast: ${line}\n`);
    }
  });

  it('--full without a store destination stops before any zfs send', async () => {
    const config = writeConfig('[nopool/a]\ndest = nopool/b\n');
    const r = await holdfast(['--config', config, '--lock-dir', lockDir(), 'send', '--full']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('holdfast: send: --full and --snapshot apply to s3:// and file:// destinations only\n');
  });
});

describe('help, version and logs', () => {
  it('every command has --help with an example; no arguments prints help and exits 2', async () => {
    const top = await holdfast(['--help']);
    expect(top.code).toBe(0);
    const commands = [...top.stdout.split('Commands:')[1]!.matchAll(/^  ([a-z][a-z-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['setup', 'snap', 'plan', 'check']));
    for (const c of commands) {
      const h = await holdfast([c, '--help']);
      expect(h.code, c).toBe(0);
      expect(h.stdout, c).toContain('Example:');
    }
    const none = await holdfast([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: holdfast');
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect((await holdfast(['--version'])).stdout.trim()).toBe(pkg.version);
  });

  it('--help and --version load no command body, no adapter and not execa (the process layer)', async () => {
    const recorder = new URL('../helpers/record-loads.mjs', import.meta.url).pathname;
    for (const args of [['--version'], ['--help'], ['send', '--help']]) {
      const file = join(mkdtempSync(join(tmpdir(), 'hf-loads-')), 'loads');
      writeFileSync(file, '');
      const r = await run([process.execPath, '--import', recorder, BIN, ...args], { env: { ...process.env, HF_RECORD_LOADS: file } });
      expect(r.code, r.stderr).toBe(0);
      const loads = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      expect(
        loads.filter((u) => u.endsWith('/dist/cli/main.js')),
        'the recorder sees the program load',
      ).toHaveLength(1);
      expect(
        loads.filter((u) => /\/node_modules\/execa\/|\/dist\/vendor\/|\/dist\/adapters\/|-run\.js$/.test(u)),
        args.join(' '),
      ).toEqual([]);
    }
  });

  it('--log-json writes JSON lines to stderr, text logs are single lines', async () => {
    const conf = writeConfig('[nopoolhere]\nsnap = yes\nhourly = 1\n');
    const j = await holdfast(['--config', conf, '--lock-dir', lockDir(), '--log-json', 'snap']);
    const lines = j.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ level: 50, msg: expect.stringContaining('1 failed: nopoolhere') });
    const t = await holdfast(['--config', conf, '--lock-dir', lockDir(), 'snap']);
    expect(t.code).toBe(1);
    for (const l of t.stderr.trim().split('\n'))
      expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d (INFO |WARN |ERROR|DEBUG) /);
  });
});

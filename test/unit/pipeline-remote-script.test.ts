import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { newTag, parseStatuses, remoteArgv } from '../../src/adapters/pipeline/remote-script.js';

// The remote script runs under dash (Debian's sh) and bash (root's login shell on most hosts).
const WEIRD = ["it's", '$HOME', 'a;b', 'new\nline', '*', ' sp ', '', '"q"', '\\', '$(id)', '`id`', '|', '&&'];

describe.each(['dash', 'bash'])('the remote stage runner under %s', (shell) => {
  const run = (stages: { index: number; argv: string[] }[]) => {
    const tag = newTag();
    const argv = remoteArgv(tag, stages);
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    const r = spawnSync(shell, argv.slice(1), { encoding: 'buffer' });
    return { ...parseStatuses(r.stderr.toString('utf8'), tag), stdout: r.stdout, status: r.status };
  };

  it('passes every argument through unchanged, as one argument each', () => {
    const r = run([{ index: 0, argv: ['printf', '%s\\0', ...WEIRD] }]);
    expect(r.stdout.toString('utf8').split('\0').slice(0, -1)).toEqual(WEIRD);
    expect([...r.statuses]).toEqual([[0, 0]]);
  });

  it('wires the stages into one pipeline and reports each exit status', () => {
    const r = run([
      { index: 3, argv: ['printf', '%s\\n', 'a', 'b'] },
      { index: 4, argv: ['sh', '-c', 'tr a-z A-Z; echo oops >&2; exit 3'] },
      { index: 5, argv: ['cat'] },
    ]);
    expect(r.stdout.toString()).toBe('A\nB\n');
    expect(Object.fromEntries(r.statuses)).toEqual({ 3: 0, 4: 3, 5: 0 });
    expect(r.text.trim()).toBe('oops');
  });

  it('reports a missing program (127) and a stage killed by SIGPIPE (141)', () => {
    const r = run([
      { index: 0, argv: ['yes'] },
      { index: 1, argv: ['head', '-c', '10'] },
      { index: 2, argv: ['no-such-program-hf'] },
    ]);
    expect(r.statuses.get(0)).toBe(141);
    expect(r.statuses.get(2)).toBe(127);
  });

  it('finds a status that follows text without a newline', () => {
    const r = run([{ index: 7, argv: ['sh', '-c', 'printf partial >&2; exit 2'] }]);
    expect(r.statuses.get(7)).toBe(2);
    expect(r.text.trim()).toBe('partial');
  });
});

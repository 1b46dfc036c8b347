import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHELL_PATHS } from '../../src/app/install/shell-files.js';
import { holdfast } from '../helpers/cli.js';
import { run } from '../helpers/run.js';

// `holdfast setup --man --completions` installs the man page and the bash, zsh and fish
// completions where man and each shell look; new shells (real bash with bash-completion, zsh
// with compinit, fish) then complete holdfast, and man finds the page.
const FILES = Object.values(SHELL_PATHS);
const shell = (argv: string[], env: NodeJS.ProcessEnv = {}) => run(argv, { env: { ...process.env, ...env }, input: '' });

// What a TAB after "holdfast sn" offers in a new interactive bash: bash-completion loads the
// file on first use, as it does for a real TAB.
const bashTab = (rc: string[] = []) => [
  'bash',
  ...rc,
  '-ic',
  '__load_completion holdfast || exit 9; complete -p holdfast; COMP_WORDS=(holdfast sn); COMP_CWORD=1; COMP_LINE="holdfast sn"; COMP_POINT=11; _holdfast_complete holdfast sn holdfast; printf "offer:%s\\n" "${COMPREPLY[@]}"',
];

describe('holdfast setup --man --completions', () => {
  it('--help lists man and completion', async () => {
    const r = await holdfast(['--help']);
    expect(r.stdout).toMatch(/^ {2}completion <shell> +print a shell completion script/m);
    expect(r.stdout).toMatch(/^ {2}man \[options\] +print the man page/m);
    expect((await holdfast(['setup', '--help'])).stdout).toContain('--completions');
  });

  it('under a root: the four files (0644), nothing else; new shells pointed there complete holdfast and man finds the page', async () => {
    const root = mkdtempSync(join(tmpdir(), 'hf-shell-'));
    const dry = await holdfast(['--dry-run', 'setup', '--man', '--completions', '--root', root]);
    expect(dry.code, dry.stderr).toBe(0);
    for (const f of FILES) expect(dry.stdout).toContain(`would write ${join(root, f)} (mode 0644)\n`);
    expect(existsSync(join(root, 'usr'))).toBe(false);
    const r = await holdfast(['setup', '--man', '--completions', '--root', root]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of FILES) expect(statSync(join(root, f)).mode & 0o777).toBe(0o644);
    expect(existsSync(join(root, 'etc'))).toBe(false); // no sample config with --man/--completions alone
    const data = { XDG_DATA_DIRS: `${root}/usr/share:/usr/share` };
    const bash = await shell(bashTab(['--rcfile', '/usr/share/bash-completion/bash_completion']), data);
    expect(bash.stdout, bash.stderr).toContain('complete -F _holdfast_complete holdfast\n');
    expect(bash.stdout).toContain('offer:snap\n');
    const zsh = await shell([
      'zsh',
      '-ic',
      `fpath=(${root}/usr/local/share/zsh/site-functions $fpath); autoload -Uz compinit && compinit -D; print -r -- "comp:\${_comps[holdfast]}"`,
    ]);
    expect(zsh.stdout, zsh.stderr).toContain('comp:_holdfast');
    const fish = await shell(['fish', '-c', 'complete -C "holdfast sn"'], data);
    expect(fish.stdout, fish.stderr).toMatch(/^snap\t/m);
    const man = await shell(['man', '-w', 'holdfast'], { MANPATH: `${root}/usr/local/share/man` });
    expect(man.stdout.trim(), man.stderr).toBe(join(root, SHELL_PATHS.man));
    // a rerun changes nothing; a file an older holdfast wrote is updated without --force; anyone else's is kept
    expect((await holdfast(['setup', '--man', '--completions', '--root', root])).stdout).toContain(
      `${join(root, SHELL_PATHS.bash)} is already installed, identical`,
    );
    writeFileSync(
      join(root, SHELL_PATHS.zsh),
      readFileSync(join(root, SHELL_PATHS.zsh), 'utf8').replace(/holdfast \S+;/, 'holdfast 0.0.1;'),
    );
    writeFileSync(join(root, SHELL_PATHS.fish), '# my own completions\n');
    const again = await holdfast(['setup', '--man', '--completions', '--root', root]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(`updated ${join(root, SHELL_PATHS.zsh)} (mode 0644; an older holdfast wrote it)`);
    expect(again.stdout).toContain(`${join(root, SHELL_PATHS.fish)} exists and differs; NOT overwritten (--force replaces it)\n`);
    expect(readFileSync(join(root, SHELL_PATHS.fish), 'utf8')).toBe('# my own completions\n');
    rmSync(root, { recursive: true, force: true });
  });

  it('the real locations, as the README set-up command leaves them: new bash, zsh and fish shells complete holdfast; man -w finds the page', async () => {
    const before = new Map(FILES.map((f) => [f, existsSync(f) ? readFileSync(f) : undefined]));
    try {
      const r = await holdfast(['setup', '--man', '--completions']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      // plain new shells: bash-completion and compinit as scripts/setup.sh enables them
      const bash = await shell(bashTab());
      expect(bash.code, `bash-completion is not active in new shells (scripts/setup.sh enables it): ${bash.stderr}`).toBe(0);
      expect(bash.stdout).toContain('complete -F _holdfast_complete holdfast\n');
      expect(bash.stdout).toContain('offer:snap\n');
      const zsh = await shell(['zsh', '-ic', 'print -r -- "comp:${_comps[holdfast]}"; whence -w _holdfast']);
      expect(zsh.stdout, `compinit does not run in new zsh shells (scripts/setup.sh enables it): ${zsh.stderr}`).toContain(
        'comp:_holdfast\n_holdfast: function',
      );
      const fish = await shell(['fish', '-c', 'complete -C "holdfast "']);
      expect(fish.stdout).toMatch(/^send\t/m);
      expect(fish.stdout).toMatch(/^completion\t/m);
      expect(realpathSync((await shell(['man', '-w', 'holdfast'])).stdout.trim())).toBe(SHELL_PATHS.man); // /usr/local/man is a link to share/man
      const page = await shell(['sh', '-c', 'MANWIDTH=80 man holdfast 2>/dev/null | col -b | head -5']);
      expect(page.stdout).toMatch(/holdfast - ZFS \(and btrfs\) snapshots/);
    } finally {
      // leave the machine as it was (scripts/setup.sh installs the same files)
      for (const [f, content] of before) {
        if (content === undefined) rmSync(f, { force: true });
        else writeFileSync(f, content);
      }
    }
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { completionScript } from '../../src/cli/completions.js';
import { describeProgram } from '../../src/cli/help-model.js';
import { manPage } from '../../src/cli/manpage.js';
import { buildProgram } from '../../src/cli/program.js';

// The man page and the completions are generated from the commander tree that prints --help;
// these tests hold the three together: every command, option and example of --help is in the
// man page as `man` renders it, and the completion scripts load in their shells.
const program = buildProgram({ code: 0 });
const doc = describeProgram(program);
const dir = mkdtempSync(join(tmpdir(), 'hf-docs-'));
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
// The set-up command installs every tool these tests use: a missing one fails loudly, never skips.
const needs = (...cmds: string[]) => {
  for (const c of cmds) if (!has(c)) throw new Error(`${c} is not installed; run scripts/setup.sh`);
};
const sh = (argv: string[], input?: string) =>
  spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', input, env: { ...process.env, MANWIDTH: '200', LC_ALL: 'C.UTF-8' } });
const visible = (c: Command) => c.commands.filter((x) => !(x as unknown as { _hidden: boolean })._hidden);
const flagsIn = (help: string) =>
  [...new Set([...help.matchAll(/(?:^|[\s,])(--?[A-Za-z][\w-]*)/g)].map((m) => m[1]!))].filter((f) => /^(--[a-z]|-[a-zA-Z]$)/.test(f));

describe('--help', () => {
  it('every command shows an example', () => {
    for (const c of doc.commands.filter((x) => x.name !== 'help'))
      expect(c.example, `holdfast ${c.name} --help has no "Example:"`).toBeTruthy();
  });
});

describe('the man page', () => {
  const page = manPage(doc, '2026-01-01');
  const file = join(dir, 'holdfast.1');
  writeFileSync(file, page);

  it('renders with man -l, and groff finds nothing to warn about', () => {
    needs('man', 'groff');
    const r = sh(['man', '-l', file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^HOLDFAST\(1\)/);
    const lint = sh(['groff', '-man', '-ww', '-z', file]);
    expect(lint.stderr).toBe('');
  });

  it('holds every command, option and example --help shows', () => {
    needs('man');
    const text = sh(['man', '-l', file]).stdout;
    const squash = (s: string) => s.replace(/\s+/g, ' ');
    for (const c of visible(program)) {
      expect(text, c.name()).toContain(`holdfast ${c.name()}`);
      for (const flag of flagsIn(c.helpInformation())) expect(text, `${c.name()} ${flag}`).toContain(flag);
    }
    for (const flag of flagsIn(program.helpInformation())) expect(text, flag).toContain(flag);
    for (const c of doc.commands) for (const line of (c.example ?? '').split('\n')) expect(squash(text), line).toContain(squash(line));
  });
});

describe('completions', () => {
  const bash = join(dir, 'holdfast.bash');
  writeFileSync(bash, completionScript(doc, 'bash'));
  // Complete `words` (the last one being typed) as bash would, and return the candidates.
  const complete = (words: string[]) => {
    const script = `source ${bash}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}\n_holdfast_complete\nprintf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = sh(['bash', '--norc', '--noprofile', '-c', script]);
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  };

  it('bash: the script parses, loads, registers itself and completes', () => {
    expect(sh(['bash', '-n', bash]).status).toBe(0);
    const r = sh(['bash', '--norc', '--noprofile', '-c', `source ${bash} && complete -p holdfast`]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('complete -F _holdfast_complete holdfast');
    expect(complete(['holdfast', 'do'])).toEqual(['doctor']);
    expect(complete(['holdfast', 'doctor', '--n'])).toEqual(['--notify']);
    expect(complete(['holdfast', '--config', '/etc/host'])).toEqual(expect.arrayContaining(['/etc/hostname']));
    expect(complete(['holdfast', '--config', 'x.conf', 'snap', '--ex'])).toEqual(['--explain']);
    expect(complete(['holdfast', 'completion', ''])).toEqual(expect.arrayContaining(['bash', 'zsh', 'fish']));
  });

  it('zsh: a #compdef function naming every command and option (zsh -n)', () => {
    const z = completionScript(doc, 'zsh');
    expect(z.split('\n')[0]).toBe('#compdef holdfast');
    for (const c of doc.commands) {
      expect(z).toContain(`'${c.name}:`);
      for (const o of c.options) expect(z).toContain(o.long ?? o.short!);
    }
    for (const line of z.split('\n')) expect((line.replace(/'\\''/g, '').match(/'/g) ?? []).length % 2, line).toBe(0);
    needs('zsh');
    writeFileSync(join(dir, '_holdfast'), z);
    const r = sh(['zsh', '-n', join(dir, '_holdfast')]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('fish: one `complete -c holdfast` line per command and option (fish -n)', () => {
    const f = completionScript(doc, 'fish');
    const lines = f.split('\n').filter((l) => l && !l.startsWith('#'));
    for (const l of lines) {
      expect(l).toMatch(/^complete -c holdfast /);
      expect((l.replace(/'\\''/g, '').match(/'/g) ?? []).length % 2, l).toBe(0);
    }
    for (const c of doc.commands) {
      expect(f).toContain(`-a ${c.name} -d`);
      for (const o of c.options) if (o.long) expect(f).toContain(`-l ${o.long.slice(2)}`);
    }
    needs('fish');
    writeFileSync(join(dir, 'holdfast.fish'), f);
    const r = sh(['fish', '--no-config', '-n', join(dir, 'holdfast.fish')]);
    expect(r.status, r.stderr).toBe(0);
  });
});

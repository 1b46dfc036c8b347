import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// What `holdfast --version`, `--help` and every cron run load before a command body runs: the
// modules reachable from the CLI entry through static imports only (the graph tsc emits into
// dist/: tsconfig has verbatimModuleSyntax, and esbuild honours it, so `import type` is dropped
// and every other import stays). Command bodies load with import() (cli/action.ts `lazy`), so
// this graph is the program's definitions and nothing behind them.

const SRC = new URL('../../src/', import.meta.url).pathname;

// Our own modules allowed on the start-up path: the entry, the program, the command registrations
// (commander definitions and type imports only) and import-free error classes. A module added
// here is paid for by every run, `holdfast --version` included.
const ALLOWED = new Set([
  'cli/main.ts',
  'cli/program.ts',
  'cli/globals.ts',
  'cli/action.ts',
  'cli/interrupt.ts',
  'cli/compose/env.ts',
  'cli/exit-codes.ts',
  'cli/commands/index.ts',
  'cli/commands/view-options.ts',
  ...[
    'backup',
    'backup-retention',
    'btrfs-send',
    'check',
    'cleanup',
    'compare',
    'completion',
    'doctor',
    'man',
    'monitor',
    'restore',
    'send',
    'setup',
    'snap',
    'status',
    'tree',
    'ui',
    'verify',
  ].map((c) => `cli/commands/${c}.ts`),
  'config/errors.ts',
  'domain/errors.ts',
  'infra/clock.ts',
]);
const ALLOWED_PACKAGES = new Set(['commander']);

// What the failure message names as the usual culprits.
const WHY =
  'app/, domain/, adapters/ (bar error classes), config/ parser and keys, luxon, pino and the AWS SDK belong in a command body (commands/<name>-run.ts, loaded with lazy(() => import(…)) in cli/action.ts), not on the start-up path';

interface Graph {
  modules: Map<string, string | undefined>; // module → the module that first imported it
  packages: Map<string, string>; // package → a module importing it
}

async function staticGraph(entries: readonly string[]): Promise<Graph> {
  const out = await build({
    entryPoints: entries.map((e) => SRC + e),
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    packages: 'external',
    logLevel: 'silent',
    outdir: '/tmp/holdfast-startup-graph',
  });
  const inputs = out.metafile.inputs;
  const rel = (p: string) => p.slice(p.indexOf('src/') + 4);
  const modules = new Map<string, string | undefined>();
  const packages = new Map<string, string>();
  const queue: string[] = [];
  for (const p of Object.keys(inputs)) if (entries.includes(rel(p))) modules.set(rel(p), undefined), queue.push(p);
  while (queue.length > 0) {
    const from = queue.pop()!;
    for (const imp of inputs[from]?.imports ?? []) {
      if (imp.kind !== 'import-statement') continue; // import() is the lazy path
      // #execa resolves to the built dist/vendor/execa.js: a package all the same.
      const pkg = imp.external ? imp.path : imp.original === '#execa' ? imp.original : undefined;
      if (pkg !== undefined) packages.set(pkg, packages.get(pkg) ?? rel(from));
      else if (!modules.has(rel(imp.path))) modules.set(rel(imp.path), rel(from)), queue.push(imp.path);
    }
  }
  return { modules, packages };
}

// "cli/main.ts → cli/program.ts → … → x": how a module got onto the path.
function chain(g: Graph, m: string): string {
  const path = [m];
  for (let p = g.modules.get(m); p !== undefined; p = g.modules.get(p)) path.unshift(p);
  return path.join(' → ');
}

describe('the start-up path', () => {
  it('holds only the program definitions: no command body, app, domain, adapter, config parser, luxon, pino or AWS SDK', {
    timeout: 60_000,
  }, async () => {
    const g = await staticGraph(['cli/main.ts']);
    const extra = [...g.modules.keys()].filter((m) => !ALLOWED.has(m)).map((m) => `  ${chain(g, m)}`);
    const pkgs = [...g.packages].filter(([p]) => !ALLOWED_PACKAGES.has(p)).map(([p, by]) => `  ${p} (imported by ${chain(g, by)})`);
    expect(extra, `modules on the start-up path that are not in ALLOWED (${WHY}):\n${extra.join('\n')}`).toEqual([]);
    expect(pkgs, `packages on the start-up path (${WHY}):\n${pkgs.join('\n')}`).toEqual([]);
  });

  it('--help and --version never load execa; a command body reaches it through the process layer', {
    timeout: 60_000,
  }, async () => {
    // (test/integration/cli-basics.test.ts records what the built CLI really loads, import() included.)
    const g = await staticGraph(['cli/main.ts']);
    expect(g.packages.has('#execa'), `execa imported by ${g.packages.get('#execa')}`).toBe(false);
    expect(g.modules.has('adapters/exec/process.ts')).toBe(false);
    const body = await staticGraph(['cli/compose/index.ts']);
    expect(body.packages.get('#execa')).toBe('adapters/exec/process.ts');
  });

  it('a zfs snap run loads no btrfs, store, notification, doctor, install, view or send modules, and no pino or AWS SDK', {
    timeout: 60_000,
  }, async () => {
    // What `holdfast snap` imports: its body, the config loader, the composition root (the lock
    // adapter comes with env.lock). import() inside them (btrfs host, textfile, pino) stays lazy.
    const g = await staticGraph([
      'cli/main.ts',
      'cli/commands/snap-run.ts',
      'cli/compose/index.ts',
      'config/load.ts',
      'adapters/lock/flock.ts',
    ]);
    const unwanted =
      /^(adapters\/(btrfs|store|notify|crypto|pipeline|prometheus)\/|app\/(store|notify|doctor|install|btrfs|backup|send|views)\/|cli\/(compose\/(notify|btrfs|store|send|views|doctor|prometheus)|completions|manpage|help-model|render\/(doctor|send|tree|compare|monitor)))/;
    const bad = [...g.modules.keys()].filter((m) => unwanted.test(m)).map((m) => `  ${chain(g, m)}`);
    expect(bad, `a zfs snap run would load:\n${bad.join('\n')}`).toEqual([]);
    expect([...g.packages.keys()].filter((p) => p === 'pino' || p.startsWith('@aws-sdk'))).toEqual([]);
  });
});

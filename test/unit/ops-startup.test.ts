import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// What `holdfast --version` or a snap run loads before doing anything: the modules reachable
// from the CLI entry through static imports only. The AWS SDK and pino must not be among them
// (they load with import() when a run needs them), nor the ops modules only doctor, setup
// --systemd/--cron, completion, man and a notification use.
describe('the start-up path', () => {
  it('holds no AWS SDK, no pino, and none of the lazily loaded ops modules', async () => {
    const out = await build({
      entryPoints: [new URL('../../src/cli/main.ts', import.meta.url).pathname],
      bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, packages: 'external', logLevel: 'silent',
    });
    const inputs = out.metafile.inputs;
    const entry = Object.keys(inputs).find((p) => p.endsWith('src/cli/main.ts'))!;
    const seen = new Set([entry]);
    const packages = new Set<string>();
    for (const queue = [entry]; queue.length > 0; ) {
      for (const imp of inputs[queue.pop()!]?.imports ?? []) {
        if (imp.kind !== 'import-statement') continue;
        if (imp.external) packages.add(imp.path);
        else if (!seen.has(imp.path)) queue.push((seen.add(imp.path), imp.path));
      }
    }
    expect([...packages].filter((p) => p.startsWith('@aws-sdk') || p === 'pino')).toEqual([]);
    const lazy = /src\/(app\/doctor|app\/notify|app\/install|adapters\/notify|cli\/(completions|manpage|help-model|notify-hook|render\/doctor))/;
    expect([...seen].filter((p) => lazy.test(p))).toEqual([]);
  });
});

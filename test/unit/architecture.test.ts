import { fileURLToPath } from 'node:url';
import { type ICruiseOptions, type IViolation, cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

// The layers' import rules (.dependency-cruiser.cjs, docs/design.md "Layers"), checked on the
// real import graph: static, dynamic (import()) and type-only imports alike.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/architecture/', import.meta.url));

let options: ICruiseOptions;
let tsConfig: ReturnType<typeof extractTSConfig>;

async function violations(baseDir: string): Promise<IViolation[]> {
  const r = await cruise(['src'], { ...options, baseDir, validate: true }, undefined, { tsConfig });
  if (typeof r.output === 'string') throw new Error('dependency-cruiser returned a report, not a result');
  return r.output.summary.violations;
}

// "rule: from → to" (a cycle lists its modules), then the rule's reason, once per rule.
function explain(found: readonly IViolation[]): string {
  const why = new Map(options.ruleSet?.forbidden?.map((r) => [r.name, r.comment]) ?? []);
  const lines = found.map((v) => `  ${v.rule.name}: ${v.from} → ${v.cycle?.map((c) => c.name).join(' → ') ?? v.to}`);
  const rules = [...new Set(found.map((v) => v.rule.name))].map((n) => `  ${why.get(n) ?? n}`);
  return `${lines.join('\n')}\nwhy:\n${rules.join('\n')}`;
}

beforeAll(async () => {
  options = await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.cjs`);
  tsConfig = extractTSConfig(`${ROOT}tsconfig.json`);
});

describe('the architecture', () => {
  it('src/ has no import cycle and no import against cli → app → domain', { timeout: 60_000 }, async () => {
    const found = await violations(ROOT);
    expect(found.length, `imports against the layers' rules:\n${explain(found)}`).toBe(0);
  });

  it('every rule catches its violation in a fixture tree, and lets the allowed imports beside it pass', { timeout: 60_000 }, async () => {
    const found = (await violations(FIXTURE)).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    expect(found).toEqual(
      [
        'adapters-behind-ports: src/adapters/thing/adapter.ts → src/app/feature/use-case.ts',
        'app-stays-inside: src/app/feature/use-case.ts → src/cli/flags.ts',
        'config-stays-inside: src/config/keys.ts → src/app/ports.ts',
        'domain-is-pure: src/domain/pure.ts → path', // node:path, as dependency-cruiser names a core module
        'no-cycles: src/domain/cycle-a.ts → src/domain/cycle-b.ts',
        'one-composition-root: src/cli/commands/command.ts → src/adapters/thing/adapter.ts',
        'one-composition-root: src/cli/commands/command.ts → src/infra/clock.ts',
        'typed-config-only: src/app/feature/settings.ts → src/config/parsed.ts',
        'one-process-layer: src/adapters/thing/spawns.ts → child_process',
      ].sort(),
    );
  });
});

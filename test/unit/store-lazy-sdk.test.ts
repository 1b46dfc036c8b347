import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The AWS SDK must stay off holdfast's start-up path: importing the store (or crypto) modules
// may only reach it through a dynamic import().
describe('lazy AWS SDK', () => {
  it('src/adapters/store/index.ts has no static import of @aws-sdk', async () => {
    const out = await build({
      entryPoints: [new URL('../../src/adapters/store/index.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      external: ['@aws-sdk/*'],
      logLevel: 'silent',
      metafile: true,
    });
    const text = out.outputFiles[0]?.text ?? '';
    expect(text).not.toMatch(/^import .* from ["']@aws-sdk/m);
    expect(text).toMatch(/import\(["']@aws-sdk\/client-s3["']\)/);
    const staticImports = Object.values(out.metafile.inputs).flatMap((i) =>
      i.imports.filter((imp) => imp.kind === 'import-statement').map((imp) => imp.path),
    );
    expect(staticImports.filter((p) => p.startsWith('@aws-sdk'))).toEqual([]);
  });
});

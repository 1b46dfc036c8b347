#!/usr/bin/env node
// Part of `npm run build`: execa and its ~90 modules as one file, dist/vendor/execa.js, which
// the process layer imports as `#execa` (package.json "imports"). Node loads one parsed file
// instead of resolving ninety: ~45 ms of CPU per run instead of ~170 ms (docs/design.md).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await build({
  entryPoints: [join(root, 'node_modules/execa/index.js')],
  outfile: join(root, 'dist/vendor/execa.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  legalComments: 'none',
  // cross-spawn and friends are CommonJS and require() node's modules.
  banner: {
    js: "// execa 9 (MIT), bundled by scripts/vendor-execa.mjs\nimport { createRequire as __hfRequire } from 'node:module'; const require = __hfRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

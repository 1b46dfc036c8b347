#!/usr/bin/env node
// The single-file build: dist/bundle/holdfast.cjs runs with nothing but node (>= 20.5), for NAS
// boxes without npm. Everything is inside, the AWS SDK and pino included; both are reached only
// through import(), which esbuild turns into lazily-initialised modules, so a snap run never
// evaluates them. CommonJS, so the file works under any name (e.g. /usr/local/bin/holdfast).
import { build } from 'esbuild';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = process.argv[2] ?? join(root, 'dist/bundle/holdfast.cjs');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const result = await build({
  entryPoints: [join(root, 'scripts/bundle-entry.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true, // error and check names stay readable in messages and stack traces
  legalComments: 'none',
  banner: { js: `#!/usr/bin/env node\n// holdfast ${version}: single-file build (MIT; bundled dependencies keep their own licences).` },
  metafile: true,
  logLevel: 'warning',
  // #execa is dist/vendor/execa.js (an ES module) for the tsc build; here, execa itself.
  plugins: [
    { name: 'execa', setup: (b) => b.onResolve({ filter: /^#execa$/ }, (a) => b.resolve('execa', { kind: a.kind, resolveDir: root })) },
  ],
});
chmodSync(outfile, 0o755);
const kib = (statSync(outfile).size / 1024).toFixed(0);
const inputs = Object.keys(result.metafile.inputs).length;
process.stdout.write(`${outfile}: ${kib} KiB from ${inputs} modules\n`);

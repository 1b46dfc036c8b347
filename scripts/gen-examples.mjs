#!/usr/bin/env node
// examples/: the files `holdfast setup` writes, rendered for /usr/local/bin/holdfast (npm run
// build first). test/unit/ops-examples.test.ts fails when they drift from the source.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { systemdFiles, cronFiles } = await import(join(root, 'dist/app/install/schedule-files.js'));
const { SAMPLE_CONFIG } = await import(join(root, 'dist/config/sample.js'));
const opts = { exec: ['/usr/local/bin/holdfast'] };
const files = [
  ...systemdFiles(opts).map((f) => ({ rel: `systemd/${f.path.split('/').pop()}`, content: f.content })),
  ...cronFiles(opts).map((f) => ({ rel: f.path.replace('/etc/', ''), content: f.content })),
  { rel: 'holdfast.conf', content: SAMPLE_CONFIG },
];
for (const f of files) {
  const p = join(root, 'examples', f.rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, f.content);
  process.stdout.write(`${p}\n`);
}

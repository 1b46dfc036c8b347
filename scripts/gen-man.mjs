#!/usr/bin/env node
// man/holdfast.1 from the built commander tree (npm run build first; `npm pack` runs both via
// prepack). The page is generated, never edited: `holdfast man` prints the same text.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'man/holdfast.1');
const { buildProgram } = await import(join(root, 'dist/cli/program.js'));
const { describeProgram } = await import(join(root, 'dist/cli/help-model.js'));
const { manPage } = await import(join(root, 'dist/cli/manpage.js'));
const epoch = Number(process.env.SOURCE_DATE_EPOCH);
const date = new Date(Number.isFinite(epoch) && epoch > 0 ? epoch * 1000 : Date.now()).toISOString().slice(0, 10);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, manPage(describeProgram(buildProgram({ code: 0 })), date));
process.stdout.write(`${out}\n`);

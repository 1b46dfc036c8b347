import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../src/config/parse.js';
import { VERSION } from '../../src/cli/globals.js';

// One version everywhere (package.json, --version, the changelog), and the compatibility
// promise: a policy file written for an older release still reads without a single issue.
const root = resolve(import.meta.dirname, '../..');
const text = (rel: string) => readFileSync(resolve(root, rel), 'utf8');

describe('versioning', () => {
  it('--version, package.json and the newest CHANGELOG release agree, and the version is semver', () => {
    const pkg = JSON.parse(text('package.json')) as { version: string; license: string };
    expect(VERSION).toBe(pkg.version);
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    const released = [...text('CHANGELOG.md').matchAll(/^## \[(\d[^\]]*)\]/gm)].map((m) => m[1]);
    expect(released[0]).toBe(pkg.version);
    expect(pkg.license).toBe('MIT');
    expect(text('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 holdfast contributors\n/);
  });

  it('a policy file written for 0.1.0 still reads without errors or warnings', () => {
    for (const name of ['holdfast-0.1.0.conf', 'pyznap.conf']) {
      const path = resolve(root, 'test/ops/fixtures', name);
      const f = parsePolicyText(readFileSync(path, 'utf8'), `/etc/holdfast/${name}`);
      expect(f.issues, name).toEqual([]);
      expect(f.sections.length, name).toBeGreaterThan(2);
    }
  });
});

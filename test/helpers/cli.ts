import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Ran, run } from './run.js';

export const BIN = resolve(import.meta.dirname, '../../bin/holdfast.js');

export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

export interface CliOptions {
  // "2014-01-01 00:00:00": the clock stands still there (libfaketime's absolute form, read in
  // the process TZ, UTC unless `tz` says otherwise), so names are exact to the second.
  readonly faketime?: string;
  readonly tz?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly input?: string;
}

// Run the built CLI as a user would (node bin/holdfast.js …), optionally under libfaketime.
export function holdfast(args: readonly string[], o: CliOptions = {}): Promise<Ran> {
  const fake = o.faketime ? { LD_PRELOAD: LIBFAKETIME, FAKETIME: o.faketime.replace(/ UTC$/, ''), FAKETIME_DONT_FAKE_MONOTONIC: '1' } : {};
  const env = { ...process.env, TZ: o.tz ?? 'UTC', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...fake, ...o.env };
  return run([process.execPath, BIN, ...args], { env, ...(o.input !== undefined ? { input: o.input } : {}) });
}

// A scratch directory with a config file in it; returns the file's path.
export function writeConfig(text: string, name = 'holdfast.conf'): string {
  const dir = mkdtempSync(join(tmpdir(), 'hf-conf-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// A private lock directory per test file, so parallel files never contend by accident.
export function lockDir(): string {
  return mkdtempSync(join(tmpdir(), 'hf-lock-'));
}

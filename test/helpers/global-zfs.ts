import { ensureZfsFuse } from './zfs-lab.js';

// vitest globalSetup for the zfs lane: a running zfs-fuse daemon (pools are per test file).
export default async function setup(): Promise<void> {
  await ensureZfsFuse();
}

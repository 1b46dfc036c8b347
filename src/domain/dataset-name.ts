// ZFS name rules (OpenZFS zfs_namecheck.c), checked without any I/O so that a bad name from the
// config or the command line is rejected before it reaches zfs, ssh or a shell.

const MAX_NAME = 255;
// Only these characters are valid in ZFS component names (verified on zfs-fuse and OpenZFS 2.1).
const COMPONENT = /^[A-Za-z0-9_\-.: ]+$/;
const RESERVED_POOLS = ['mirror', 'raidz', 'draid', 'spare', 'log'];

export type NameProblem = string;

// Why `name` is not a valid dataset name, or undefined when it is.
export function datasetNameProblem(name: string): NameProblem | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > MAX_NAME) return `the name is longer than ${MAX_NAME} characters`;
  if (name.includes('@')) return 'a dataset name cannot contain "@" (that would be a snapshot)';
  if (name.startsWith('/')) return 'a dataset name starts with the pool, not with "/"';
  if (name.endsWith('/')) return 'a dataset name cannot end with "/"';
  const parts = name.split('/');
  for (const part of parts) {
    if (part.length === 0) return 'empty component ("//")';
    if (part === '.' || part === '..') return `"${part}" is not a valid component`;
    const bad = firstInvalidChar(part);
    if (bad !== undefined) return `invalid character ${JSON.stringify(bad)} (ZFS allows letters, digits, space and _ - . :)`;
  }
  const pool = parts[0]!;
  if (!/^[A-Za-z]/.test(pool)) return 'a pool name must start with a letter';
  if (RESERVED_POOLS.some((r) => pool.startsWith(r)) && /^(mirror|raidz|draid|spare|log)\d*$/.test(pool)) {
    return `"${pool}" is a reserved pool name`;
  }
  return undefined;
}

// Why `name` is not a valid snapshot name (the part after "@"), or undefined.
export function snapshotNameProblem(name: string): NameProblem | undefined {
  if (name.length === 0) return 'the snapshot name is empty';
  if (name.length > MAX_NAME) return `the snapshot name is longer than ${MAX_NAME} characters`;
  const bad = firstInvalidChar(name);
  if (bad !== undefined) return `invalid character ${JSON.stringify(bad)} in snapshot name`;
  return undefined;
}

function firstInvalidChar(s: string): string | undefined {
  if (COMPONENT.test(s)) return undefined;
  return [...s].find((c) => !COMPONENT.test(c));
}

// The parent of a dataset ("tank/a/b" → "tank/a"), undefined for a pool root.
export function parentOf(name: string): string | undefined {
  const i = name.lastIndexOf('/');
  return i < 0 ? undefined : name.slice(0, i);
}

// True when `child` is `ancestor` or lies below it, by path components ("tank/data" is not
// an ancestor of "tank/database").
export function isSelfOrDescendant(child: string, ancestor: string): boolean {
  return child === ancestor || child.startsWith(`${ancestor}/`);
}

// Path depth: "tank" = 1, "tank/a" = 2.
export function depthOf(name: string): number {
  return name.split('/').length;
}

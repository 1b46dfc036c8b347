import type { ZfsCommand, ZfsSend } from '../../domain/zfs-command.js';

// One function per zfs command: the only place holdfast writes zfs argv. What a dry run, a plan,
// a conflict report or a message prints is what these return, and a run executes exactly that
// (through the runner, the pipeline runner or the store's pipes).

// --- commands as data (domain/zfs-command.ts): printed and run ---

export function zfsArgv(c: ZfsCommand): string[] {
  switch (c.op) {
    case 'snapshot':
      return ['zfs', 'snapshot', ...(c.recursive ? ['-r'] : []), ...c.snapshots];
    case 'destroy':
      return ['zfs', 'destroy', ...(c.recursive ? ['-r'] : []), `${c.dataset}@${c.names.join(',')}`];
    case 'destroy-dataset':
      return ['zfs', 'destroy', ...(c.recursive ? ['-r'] : []), c.dataset];
    case 'hold':
      return ['zfs', 'hold', c.tag, ...c.snapshots];
    case 'release':
      return ['zfs', 'release', c.tag, ...c.snapshots];
    case 'create-parents':
      return ['zfs', 'create', '-p', c.dataset];
    case 'rename':
      return ['zfs', 'rename', c.from, c.to];
    case 'rollback':
      return ['zfs', 'rollback', c.snapshot];
    case 'mount':
      return ['zfs', 'mount', c.dataset];
    case 'unmount':
      return ['zfs', 'unmount', c.dataset];
    case 'abort-receive':
      return ['zfs', 'receive', '-A', c.dataset];
    case 'bookmark':
      return ['zfs', 'bookmark', c.snapshot, c.bookmark];
    case 'destroy-bookmark':
      return ['zfs', 'destroy', c.bookmark];
    case 'send':
    case 'send-resume':
      return ['zfs', 'send', ...sendArgs(c)];
    case 'receive':
      return [
        'zfs',
        'receive',
        ...(c.verbose ? ['-v'] : []),
        ...(c.mount ? [] : ['-u']),
        ...(c.resumable ? ['-s'] : []),
        ...(c.force ? ['-F'] : []),
        c.dataset,
      ];
  }
}

// `zfs send -nvP …`: what a send would write, without writing it (OpenZFS); for a resume token,
// where its stream ends.
export function zfsSendEstimate(c: ZfsSend): string[] {
  return ['zfs', 'send', '-nvP', ...sendArgs(c)];
}

function sendArgs(c: ZfsSend): string[] {
  if (c.op === 'send-resume') return ['-t', c.token];
  const from = c.from ? [c.from.intermediates ? '-I' : '-i', c.from.snapshot] : [];
  return [...(c.raw ? ['-w'] : []), ...(c.stream ?? []), ...(c.props ? ['-p'] : []), ...from, c.snapshot];
}

// --- read-only calls, made by the adapters themselves ---

// The capability probe: OpenZFS prints its version, zfs-fuse its usage.
export const zfsVersion = (): string[] => ['zfs', 'version'];

// Properties of datasets (and, with -r, everything below them), one tab-separated line each.
export function zfsGet(props: readonly string[], names: readonly string[], recursive: boolean): string[] {
  return ['zfs', 'get', '-Hp', ...(recursive ? ['-r'] : []), '-o', 'name,property,value', props.join(','), ...names];
}

// The hold tags of snapshots (OpenZFS).
export const zfsHolds = (snapshots: readonly string[]): string[] => ['zfs', 'holds', '-H', ...snapshots];

// Which of these datasets exist (no -r).
export const zfsListNames = (names: readonly string[]): string[] => ['zfs', 'list', '-H', '-o', 'name', ...names];

// Bookmarks under roots, with the guid and createtxg of the snapshot each marks (OpenZFS).
export const zfsListBookmarks = (roots: readonly string[]): string[] => [
  'zfs',
  'list',
  '-Hp',
  '-t',
  'bookmark',
  '-o',
  'name,guid,createtxg',
  '-r',
  ...roots,
];

// The pools; fails when the kernel module or the zfs-fuse daemon is not there.
export const zpoolList = (): string[] => ['zpool', 'list', '-H', '-o', 'name'];

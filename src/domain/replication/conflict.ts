import type { Endpoint } from '../endpoint.js';
import { zfsBytesText } from '../units.js';
import type { ZfsSingle } from '../zfs-command.js';
import type { Command, Conflict, Holdings, Sides, SnapRef } from './types.js';

// A command as the user would run it on its host (app/send/steps.ts: printCommand).
type Print = (c: Command) => string;

const on = (endpoint: Endpoint, zfs: ZfsSingle): Command => ({ endpoint, zfs });
const destroySnapshot = (d: Sides['dest'], name: string): Command =>
  on(d.endpoint, { op: 'destroy', dataset: d.dataset, names: [name], recursive: false });

// The destination has snapshots newer than the common base that the source does not have.
export function destAhead(sides: Sides, base: string, destOnly: readonly SnapRef[]): Conflict {
  const d = sides.dest;
  const resolve = destOnly.map((s) => destroySnapshot(d, s.name));
  return { kind: 'dest-ahead', sides, base, destOnly, resolve };
}

// The destination has snapshots but none in common with the source (by name and guid).
export function noCommon(sides: Sides, guidMismatches: readonly string[]): Conflict {
  const d = sides.dest;
  const resolve = d.snapshots.map((s) => destroySnapshot(d, s.name));
  const keepCopy = [on(d.endpoint, { op: 'rename', from: d.dataset, to: `${d.dataset}-conflict` })];
  return { kind: 'no-common', sides, guidMismatches, resolve, keepCopy };
}

// The destination exists without snapshots: holdfast did not make it, and a full receive would
// overwrite it. Whatever it holds: a fresh `zfs create` already references tens of KiB, so
// "empty" cannot be told from a few small files. A pool's top dataset can be neither renamed
// nor destroyed, so there only --force (or another destination) resolves it.
export function destExists(sides: Sides, holds: Holdings): Conflict {
  const d = sides.dest;
  const top = !d.dataset.includes('/');
  const aside = `${d.dataset}-conflict`;
  const here = (zfs: ZfsSingle): Command => on(d.endpoint, zfs);
  const rename = here({ op: 'rename', from: d.dataset, to: aside });
  // zfs-fuse renames no mounted file system ("dataset is busy"); OpenZFS remounts children itself.
  const remount = holds.mounted && holds.children === 0;
  const keepCopy = top
    ? []
    : remount
      ? [here({ op: 'unmount', dataset: d.dataset }), rename, here({ op: 'mount', dataset: aside })]
      : [rename];
  const resolve = top ? [] : [here({ op: 'destroy-dataset', dataset: d.dataset, recursive: holds.children > 0 })];
  return { kind: 'dest-exists', sides, holds, resolve, keepCopy };
}

// The destination holds a partial receive whose stream came from somewhere else (or from a
// source that cannot read tokens: holdfast never starts a resumable receive from there).
export function foreignResume(sides: Sides, tokenFor: string | undefined): Conflict {
  const d = sides.dest;
  return {
    kind: 'foreign-resume',
    sides,
    ...(tokenFor !== undefined ? { tokenFor } : {}),
    resolve: [on(d.endpoint, { op: 'abort-receive', dataset: d.dataset })],
  };
}

// "116K referenced, 116K used, no child datasets, mounted at /backup/data".
export function holdingsText(h: Holdings): string {
  const size = (n: number | undefined): string => (n === undefined ? '?' : zfsBytesText(n));
  const kids = h.children === 0 ? 'no child datasets' : `${h.children} child dataset${h.children === 1 ? '' : 's'}`;
  const mount = h.mounted === undefined ? [] : [h.mounted === '' ? 'not mounted' : `mounted at ${h.mounted}`];
  return [`${size(h.referenced)} referenced`, `${size(h.used)} used`, kids, ...mount].join(', ');
}

// The report: what each side has, why that blocks the send, and what to run. Lines, no trailing \n.
export function conflictLines(c: Conflict, print: Print, label: (e: Endpoint, ds: string) => string): string[] {
  const src = label(c.sides.source.endpoint, c.sides.source.dataset);
  const dst = label(c.sides.dest.endpoint, c.sides.dest.dataset);
  const list = (snaps: readonly SnapRef[], max = 6): string => {
    if (snaps.length === 0) return '(none)';
    const shown = snaps.slice(-max).map((s) => `@${s.name}`);
    return `${snaps.length > max ? `… ${snaps.length - max} older, ` : ''}${shown.join(', ')}`;
  };
  const cmds = (cs: readonly Command[]): string[] => cs.map((x) => `    ${print(x)}`);
  switch (c.kind) {
    case 'dest-ahead':
      return [
        `conflict: ${dst} has ${c.destOnly.length} snapshot${c.destOnly.length === 1 ? '' : 's'} newer than the common base @${c.base} that ${src} does not have: ${list(c.destOnly)}`,
        `  source ${src}: ${list(c.sides.source.snapshots)}`,
        `  destination ${dst}: ${list(c.sides.dest.snapshots)}`,
        '  nothing was destroyed. To discard the destination-only snapshots, run:',
        ...cmds(c.resolve),
        '  then send again; or send with --force (force = yes), which destroys them first',
      ];
    case 'no-common':
      return [
        `conflict: ${dst} has snapshots, but none in common with ${src} (same name and guid)${c.guidMismatches.length ? `; same name, different guid: ${c.guidMismatches.map((n) => `@${n}`).join(', ')}` : ''}`,
        `  source ${src}: ${list(c.sides.source.snapshots)}`,
        `  destination ${dst}: ${list(c.sides.dest.snapshots)}`,
        '  nothing was destroyed. To keep the destination as it is and start a new replica, run:',
        ...cmds(c.keepCopy),
        "  or, to discard the destination's snapshots (a full send replaces its data), run:",
        ...cmds(c.resolve),
        '  then send again; or send with --force (force = yes), which does the latter',
      ];
    case 'dest-exists':
      return [
        `conflict: ${dst} exists but has no snapshots: holdfast did not create it, and a full send from ${src} would overwrite what it holds`,
        `  it holds: ${holdingsText(c.holds)}`,
        `  source ${src}: ${list(c.sides.source.snapshots)}`,
        ...(c.keepCopy.length === 0
          ? [
              '  nothing was changed. The top dataset of a pool cannot be moved aside: send to a dataset below it, or send with --force (force = yes) to overwrite it',
            ]
          : [
              `  nothing was changed. To keep what it holds, move it aside (the next send creates ${c.sides.dest.dataset} afresh):`,
              ...cmds(c.keepCopy),
              `  or, if nothing in it${c.holds.children > 0 ? ' or below it' : ''} is needed, destroy it:`,
              ...cmds(c.resolve),
              '  then send again; or send with --force (force = yes) to overwrite it',
            ]),
      ];
    case 'foreign-resume':
      return [
        c.tokenFor !== undefined
          ? `conflict: ${dst} holds a partial receive of ${c.tokenFor}, not of ${src}`
          : `conflict: ${dst} holds a partial receive that holdfast did not start: ${src} cannot resume sends (no zfs send -t), so it is not from there`,
        '  nothing was changed. To abandon that partial receive, run:',
        ...cmds(c.resolve),
      ];
  }
}

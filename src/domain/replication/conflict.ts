import type { Endpoint } from '../endpoint.js';
import type { Command, SnapRef } from './types.js';

// A destination that cannot be updated without destroying something on it. Never resolved
// silently: the report lists both sides and the exact commands that would resolve it, and
// only --force (or `force = yes`) lets holdfast run the destructive part itself.
export type Conflict =
  | { readonly kind: 'dest-ahead'; readonly sides: Sides; readonly base: string; readonly destOnly: readonly SnapRef[]; readonly resolve: readonly Command[] }
  | { readonly kind: 'no-common'; readonly sides: Sides; readonly guidMismatches: readonly string[]; readonly resolve: readonly Command[]; readonly keepCopy: readonly Command[] }
  | { readonly kind: 'dest-not-empty'; readonly sides: Sides; readonly referenced: number; readonly resolve: readonly Command[] }
  | { readonly kind: 'foreign-resume'; readonly sides: Sides; readonly tokenFor: string; readonly resolve: readonly Command[] };

export interface Sides {
  readonly source: { readonly endpoint: Endpoint; readonly dataset: string; readonly snapshots: readonly SnapRef[] };
  readonly dest: { readonly endpoint: Endpoint; readonly dataset: string; readonly snapshots: readonly SnapRef[] };
}

type Printable = (endpoint: Endpoint, argv: readonly string[]) => string;

// The destination has snapshots newer than the common base that the source does not have.
export function destAhead(sides: Sides, base: string, destOnly: readonly SnapRef[]): Conflict {
  const d = sides.dest;
  const resolve = destOnly.map((s) => ({ endpoint: d.endpoint, argv: ['zfs', 'destroy', `${d.dataset}@${s.name}`] }));
  return { kind: 'dest-ahead', sides, base, destOnly, resolve };
}

// The destination has snapshots but none in common with the source (by name and guid).
export function noCommon(sides: Sides, guidMismatches: readonly string[]): Conflict {
  const d = sides.dest;
  const resolve = d.snapshots.map((s) => ({ endpoint: d.endpoint, argv: ['zfs', 'destroy', `${d.dataset}@${s.name}`] }));
  const keepCopy = [{ endpoint: d.endpoint, argv: ['zfs', 'rename', d.dataset, `${d.dataset}-conflict`] }];
  return { kind: 'no-common', sides, guidMismatches, resolve, keepCopy };
}

// The destination exists, has no snapshots, but holds data a full receive would replace.
export function destNotEmpty(sides: Sides, referenced: number): Conflict {
  const d = sides.dest;
  return { kind: 'dest-not-empty', sides, referenced, resolve: [{ endpoint: d.endpoint, argv: ['zfs', 'rename', d.dataset, `${d.dataset}-conflict`] }] };
}

// The destination holds a partial receive whose stream came from somewhere else.
export function foreignResume(sides: Sides, tokenFor: string): Conflict {
  const d = sides.dest;
  return { kind: 'foreign-resume', sides, tokenFor, resolve: [{ endpoint: d.endpoint, argv: ['zfs', 'receive', '-A', d.dataset] }] };
}

// The report: what each side has, why that blocks the send, and what to run. Lines, no trailing \n.
export function conflictLines(c: Conflict, printable: Printable, label: (e: Endpoint, ds: string) => string): string[] {
  const src = label(c.sides.source.endpoint, c.sides.source.dataset);
  const dst = label(c.sides.dest.endpoint, c.sides.dest.dataset);
  const list = (snaps: readonly SnapRef[], max = 6): string => {
    if (snaps.length === 0) return '(none)';
    const shown = snaps.slice(-max).map((s) => `@${s.name}`);
    return `${snaps.length > max ? `… ${snaps.length - max} older, ` : ''}${shown.join(', ')}`;
  };
  const cmds = (cs: readonly Command[]): string[] => cs.map((x) => `    ${printable(x.endpoint, x.argv)}`);
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
        '  or, to discard the destination\'s snapshots (a full send replaces its data), run:',
        ...cmds(c.resolve),
        '  then send again; or send with --force (force = yes), which does the latter',
      ];
    case 'dest-not-empty':
      return [
        `conflict: ${dst} exists without snapshots but holds ${c.referenced} bytes; a full send from ${src} would replace them`,
        `  source ${src}: ${list(c.sides.source.snapshots)}`,
        '  nothing was changed. To keep that data, move it aside:',
        ...cmds(c.resolve),
        '  then send again; or send with --force (force = yes) to overwrite it',
      ];
    case 'foreign-resume':
      return [
        `conflict: ${dst} holds a partial receive of ${c.tokenFor}, not of ${src}`,
        '  nothing was changed. To abandon that partial receive, run:',
        ...cmds(c.resolve),
      ];
  }
}

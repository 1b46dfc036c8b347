import { type Reason, reasonText } from './reason.js';

// A keep rule looks at all candidate snapshots of one dataset and names the ones it keeps,
// each with the reason. A snapshot is destroyed only when no rule keeps it (zrepl's union).
export type KeepRule<S> = (candidates: readonly S[]) => ReadonlyMap<S, Reason>;

export interface Verdict<S> {
  readonly item: S;
  readonly keep: boolean;
  // Every reason that keeps it, or the one reason it goes (as text, rendered when read).
  readonly reasons: readonly string[];
  readonly why: readonly Reason[]; // the same, as data
}

class Decided<S> implements Verdict<S> {
  constructor(
    readonly item: S,
    readonly keep: boolean,
    readonly why: readonly Reason[],
  ) {}
  get reasons(): string[] {
    return this.why.map(reasonText);
  }
}

// The same verdict about another view of its item (clean decides on positions, prints snapshots).
export function withItem<S, T>(v: Verdict<S>, item: T): Verdict<T> {
  return new Decided(item, v.keep, v.why);
}

// The candidates no rule keeps, the union `decide` applies, without a verdict or reason for each:
// what clean needs of a million snapshots.
export function unkept<S>(candidates: readonly S[], rules: readonly KeepRule<S>[]): S[] {
  const kept = rules.map((rule) => rule(candidates));
  return candidates.filter((c) => !kept.some((m) => m.has(c)));
}

// Apply the rules; `whyDestroy` explains a snapshot that no rule kept.
export function decide<S>(candidates: readonly S[], rules: readonly KeepRule<S>[], whyDestroy: (s: S) => Reason): Verdict<S>[] {
  const kept = rules.map((rule) => rule(candidates));
  const goes = new Map<Reason, readonly Reason[]>(); // one array per distinct reason, shared by all it dooms
  return candidates.map((item) => {
    let why: Reason[] | undefined;
    for (const m of kept) {
      const r = m.get(item);
      if (r !== undefined) (why ??= []).push(r);
    }
    if (why) return new Decided(item, true, why);
    const r = whyDestroy(item);
    let one = goes.get(r);
    if (!one) goes.set(r, (one = [r]));
    return new Decided(item, false, one);
  });
}

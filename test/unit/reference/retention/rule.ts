// A keep rule looks at all candidate snapshots of one dataset and names the ones it keeps,
// each with the reason. A snapshot is destroyed only when no rule keeps it (zrepl's union).
export type KeepRule<S> = (candidates: readonly S[]) => ReadonlyMap<S, string>;

export interface Verdict<S> {
  readonly item: S;
  readonly keep: boolean;
  // Every reason that keeps it, or the one reason it goes.
  readonly reasons: readonly string[];
}

// Apply the rules; `whyDestroy` explains a snapshot that no rule kept.
export function decide<S>(candidates: readonly S[], rules: readonly KeepRule<S>[], whyDestroy: (s: S) => string): Verdict<S>[] {
  const kept = rules.map((rule) => rule(candidates));
  return candidates.map((item) => {
    const reasons = kept.flatMap((m) => {
      const r = m.get(item);
      return r === undefined ? [] : [r];
    });
    return reasons.length > 0 ? { item, keep: true, reasons } : { item, keep: false, reasons: [whyDestroy(item)] };
  });
}

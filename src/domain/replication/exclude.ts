import { fnmatch } from './fnmatch.js';

// Why a source dataset is not sent to a destination: its own name, or an ancestor's, matches
// one of the destination's `exclude` patterns. An excluded parent excludes its whole subtree
// (pyznap matched each name alone, so the child's full receive then failed for lack of a parent).
export interface Exclusion {
  readonly pattern: string;
  readonly matched: string; // the dataset whose name matched: the dataset itself or an ancestor
}

export function exclusionOf(dataset: string, root: string, patterns: readonly string[]): Exclusion | undefined {
  if (patterns.length === 0) return undefined;
  // From the root down, so the top-most excluded ancestor is the one reported.
  const parts = dataset.split('/');
  const rootDepth = root.split('/').length;
  for (let depth = rootDepth; depth <= parts.length; depth++) {
    const name = parts.slice(0, depth).join('/');
    const pattern = patterns.find((p) => fnmatch(name, p));
    if (pattern) return { pattern, matched: name };
  }
  return undefined;
}

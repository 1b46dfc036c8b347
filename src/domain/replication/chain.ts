import type { SnapRef, Step } from './types.js';

// The incremental steps from `from` up to the newest selected snapshot after it. Runs of
// selected snapshots go in one `-I` stream; an unselected snapshot in between is skipped with
// `-i` (its blocks still travel, it just does not appear on the destination: pyznap #98).
export function incrementalChain(
  after: readonly SnapRef[], // source snapshots newer than `from`, oldest first
  from: string,
  selected: (s: SnapRef) => boolean,
): Step[] {
  const steps: Step[] = [];
  let cur = from;
  let runEnd: string | undefined;
  let gap = false;
  const push = (flag: '-I' | '-i', to: string): void => {
    steps.push({ kind: 'incremental', from: cur, to, flag });
    cur = to;
  };
  for (const s of after) {
    if (!selected(s)) {
      gap = true;
      continue;
    }
    if (!gap) {
      runEnd = s.name;
      continue;
    }
    if (runEnd !== undefined) push('-I', runEnd);
    runEnd = undefined;
    push('-i', s.name);
    gap = false;
  }
  if (runEnd !== undefined) push('-I', runEnd);
  return steps;
}

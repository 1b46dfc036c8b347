// "Did you mean hourly?" for a misspelt key: the closest known key within a small edit distance.
// Cheap for any input (a garbage file may hold 100,000 unknown keys): keys whose length differs
// by more than the limit are never compared, only a band of cells around the diagonal is
// computed, and a comparison stops once it cannot come within the limit.
export function suggest(word: string, known: readonly string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const max = Math.min(limitFor(k), best ? best.d - 1 : 3);
    if (max < 0 || Math.abs(word.length - k.length) > max || letterGap(word, k) > max) continue;
    const d = distance(word, k, max);
    if (d <= max) best = { k, d };
  }
  return best?.k;
}

// How many edits still count as a misspelling of `k`: 1 for short keys, up to 3.
const limitFor = (k: string): number => Math.max(1, Math.min(3, Math.floor(k.length / 3)));

// A lower bound of the edit distance: letters one word has and the other lacks (an edit changes
// either count by at most one). Letters past ASCII share one slot, which keeps it a lower bound.
const tally = new Int32Array(128);
function letterGap(a: string, b: string): number {
  for (let i = 0; i < a.length; i++) tally[Math.min(a.charCodeAt(i), 127)]!++;
  for (let i = 0; i < b.length; i++) tally[Math.min(b.charCodeAt(i), 127)]!--;
  let extraA = 0;
  let extraB = 0;
  for (const w of [a, b]) {
    for (let i = 0; i < w.length; i++) {
      const c = Math.min(w.charCodeAt(i), 127);
      const v = tally[c]!;
      if (v > 0) extraA += v;
      else extraB -= v;
      tally[c] = 0;
    }
  }
  return Math.max(extraA, extraB);
}

const FAR = 1 << 20;
let buffers: Int32Array[] = [];

// Damerau-Levenshtein (optimal string alignment: a swapped pair of letters is one edit), computed
// only where |i - j| <= max; any result above `max` just means "too far".
function distance(a: string, b: string, max: number): number {
  const width = b.length + 2;
  if (buffers.length === 0 || buffers[0]!.length < width) buffers = [0, 1, 2].map(() => new Int32Array(Math.max(width, 64)));
  let prev2 = buffers[0]!;
  let prev = buffers[1]!;
  let row = buffers[2]!;
  for (let j = 0; j <= b.length + 1; j++) prev[j] = j <= max ? j : FAR;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    row[from - 1] = from === 1 ? i : FAR; // the cell left of the band
    prev[to] = to <= i - 1 + max ? prev[to]! : FAR; // the cell above the band's right end
    let rowMin = FAR;
    for (let j = from; j <= to; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1))
        v = Math.min(v, prev2[j - 2]! + 1);
      row[j] = v;
      if (v < rowMin) rowMin = v;
    }
    row[to + 1] = FAR;
    if (rowMin > max) return FAR;
    const t = prev2;
    prev2 = prev;
    prev = row;
    row = t;
  }
  return prev[b.length]!;
}

// Synthetic host states for bench/plan-scale: deterministic, shaped like a cron-fed host.
// One timestamp every 15 minutes, newest last; each gets the largest type that falls on it
// (yearly on Jan 1 00:00, …, frequent otherwise). Every 997th snapshot is held, every 499th is
// not a managed name. Every dataset of a layout has the same names (a recursive snapshot).

const STEP_MS = 15 * 60_000;
export const NOW_MS = Date.UTC(2026, 11, 7, 4, 0, 0);
export const COUNTS = { frequent: 4, hourly: 24, daily: 7, weekly: 4, monthly: 12, yearly: 3 };

const pad = (n, w = 2) => String(n).padStart(w, '0');

function typeAt(d) {
  if (d.getUTCMinutes() !== 0) return 'frequent';
  if (d.getUTCHours() !== 0) return 'hourly';
  if (d.getUTCDate() === 1 && d.getUTCMonth() === 0) return 'yearly';
  if (d.getUTCDate() === 1) return 'monthly';
  if (d.getUTCDay() === 1) return 'weekly';
  return 'daily';
}

// The names (after "@") of `n` snapshots, oldest first: those in [from, to) (the rest left empty).
export function snapNames(n, from = 0, to = n) {
  const names = new Array(n);
  for (let i = from; i < to; i++) {
    const d = new Date(NOW_MS - (n - 1 - i) * STEP_MS);
    if (i % 499 === 498) {
      names[i] = `manual-${i}`;
      continue;
    }
    const stamp = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}_${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`;
    names[i] = `hf_${stamp}_${typeAt(d)}`;
  }
  return names;
}

// Dataset names: a pool root and `count - 1` children (or one dataset when count is 1).
export function datasetNames(count) {
  if (count === 1) return ['tank/data'];
  const out = ['tank'];
  for (let i = 1; i < count; i++) out.push(`tank/d${pad(i, 6)}`);
  return out;
}

// `zfs get -Hp -r -o name,property,value type,createtxg,guid,userrefs[,creation]` output: snapshots
// [from, to) of each dataset (all by default), each dataset's own lines first.
export function listingText(datasets, perDataset, extra = [], from = 0, to = perDataset) {
  const names = snapNames(perDataset, from, to);
  const lines = [];
  datasets.forEach((ds, k) => {
    lines.push(`${ds}\ttype\tfilesystem`, `${ds}\tcreatetxg\t1`, `${ds}\tguid\t${1e18 + 1 + k * perDataset}`, `${ds}\tuserrefs\t-`);
    for (let i = from; i < to; i++) {
      const full = `${ds}@${names[i]}`;
      const txg = 2 + k * perDataset + i;
      lines.push(
        `${full}\ttype\tsnapshot`,
        `${full}\tcreatetxg\t${txg}`,
        `${full}\tguid\t${10_000_000_000_000_000_000n + BigInt(txg * 7919)}`,
        `${full}\tuserrefs\t${i % 997 === 996 ? 1 : 0}`,
      );
      if (extra.includes('creation')) lines.push(`${full}\tcreation\t${Math.floor(NOW_MS / 1000) - (perDataset - 1 - i) * 900}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

// A host state as the listing parser makes it, built with the parser itself, a few datasets (or,
// for one large dataset, 100,000 snapshots) at a time so the text never has to exist whole: the
// input then fits in the heap a capped run (HEAP_LIMIT_MB) allows, and the cap measures the call.
export function hostState(parse, datasets, perDataset, extra = []) {
  const all = new Map();
  const chunk = Math.max(1, Math.floor(100_000 / perDataset));
  const step = Math.min(perDataset, 100_000);
  for (let i = 0; i < datasets.length; i += chunk) {
    for (let from = 0; from < perDataset; from += step) {
      const part = parse(listingText(datasets.slice(i, i + chunk), perDataset, extra, from, Math.min(perDataset, from + step)), '');
      for (const [k, v] of part.datasets) {
        const had = all.get(k);
        if (had) for (const s of v.snapshots) had.snapshots.push(s);
        else all.set(k, v);
      }
    }
  }
  return { datasets: all, missing: [] };
}

export function policies(datasets, over = {}) {
  const p = {
    counts: COUNTS,
    snap: true,
    clean: true,
    prefix: 'hf',
    adopt: [],
    zone: 'UTC',
    guardedTypes: new Map(),
    section: 'tank',
    ...over,
  };
  return new Map(datasets.map((d) => [d, p]));
}

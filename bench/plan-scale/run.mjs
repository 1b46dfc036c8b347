#!/usr/bin/env node
// Planning, listing and view cost at scale, by hand after `npm run build`:
//   node bench/plan-scale/run.mjs                 every case, medians of RUNS=3
//   node bench/plan-scale/run.mjs clean parse     only the cases whose id starts with these
//   HF_DIST=/tmp/old-dist/ node bench/plan-scale/run.mjs   another build (e.g. before a change)
//   HEAP_LIMIT_MB=300 node bench/plan-scale/run.mjs        does each case fit in 300 MB of heap?
// One node process per case and run (case.mjs). Time is the call alone (the input is built first):
// wall seconds and CPU seconds (user + system of the process: on a shared, loaded machine the CPU
// time is the figure to compare; the wall time is what it cost there and then).
// Heap: "peak" is the largest used heap V8 reported during the call (--trace-gc prints the used
// size before every collection; also the size right after the call), "held" is the used heap
// after a forced full GC with the result still alive; both include the input (the host state).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.RUNS ?? 3);
const TIMEOUT_S = Number(process.env.TIMEOUT_S ?? 180);
// HEAP_LIMIT_MB=300: V8's old space is capped there, so a case that finishes fits in it (the
// young generation, a few MB more, aside); one that does not exits with V8's out-of-memory error.
const HEAP_LIMIT_MB = Number(process.env.HEAP_LIMIT_MB ?? 8192);

export const CASES = [
  ['clean-5k-1ds', 'clean 1ds 5000'],
  ['clean-10k-1ds', 'clean 1ds 10000'],
  ['clean-20k-1ds', 'clean 1ds 20000'],
  ['clean-1m-1ds', 'clean 1ds 1000000'],
  ['clean-1m-10000x100', 'clean 10000x100 0'],
  ['clean-1m-1000x1000-nocomma', 'clean 1000x1000 0 nocomma'],
  ['explain-1m-1ds', 'explain 1ds 1000000'],
  ['take-1m-1ds', 'take 1ds 1000000'],
  ['take-1m-10000x100', 'take 10000x100 0'],
  ['take-1m-1000x1000', 'take 1000x1000 0'],
  ['parse-1m-lines', 'parse 1000000'],
  ['tree-1m-1000x1000', 'tree 1000x1000'],
  ['compare-1m-1000x1000', 'compare 1000x1000'],
  ['monitor-1m-1000x1000', 'monitor 1000x1000'],
  ['store-100k-objects', 'store 100000'],
];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// --trace-gc: "... Mark-Compact 612.3 (650.1) -> 600.0 (640.0) MB, ..." — the first figure is
// the used heap before that collection.
function once(args) {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--trace-gc', `--max-old-space-size=${HEAP_LIMIT_MB}`, join(HERE, 'case.mjs'), ...args.split(' ')],
    { encoding: 'utf8', timeout: TIMEOUT_S * 1000, maxBuffer: 256 * 1024 * 1024, env: process.env },
  );
  const lines = r.stdout.split('\n');
  const begin = lines.findIndex((l) => l.startsWith('@@begin'));
  if (r.error?.code === 'ETIMEDOUT' && begin >= 0) {
    // Killed during the call: it ran at least from its start to the timeout.
    return { failed: `> ${Math.round(TIMEOUT_S - Number(lines[begin].split(' ')[1]) / 1000)} s` };
  }
  if (r.error || r.status !== 0) {
    const oom = /heap out of memory|Allocation failed/.test(r.stderr);
    return {
      failed: r.error
        ? `${r.error.code}`
        : oom
          ? `out of memory at ${HEAP_LIMIT_MB} MB ${begin < 0 ? 'building the input' : 'during the call'}`
          : `exit ${r.status}: ${r.stderr.slice(-300)}`,
    };
  }
  const during = lines.slice(begin + 1, lines.indexOf('@@end'));
  const gcPeak = Math.max(0, ...during.map((l) => Number(/:\s+[\w-]+(?: \(\w+\))?\s+([\d.]+) \(/.exec(l)?.[1] ?? 0)));
  const res = JSON.parse(lines.find((l) => l.startsWith('@@result ')).slice(9));
  return { sec: res.sec, cpuSec: res.cpuSec, peakMB: Math.max(gcPeak, res.atEndMB), heldMB: res.afterMB, inputMB: res.beforeMB };
}

const only = process.argv.slice(2);
const out = {};
for (const [id, args] of CASES) {
  if (only.length && !only.some((o) => id.startsWith(o))) continue;
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = once(args);
    runs.push(r);
    if (r.failed) break; // a case that does not finish is not tried again
  }
  const ok = runs.filter((r) => !r.failed);
  out[id] = ok.length
    ? {
        sec: +median(ok.map((r) => r.sec)).toFixed(3),
        cpuSec: +median(ok.map((r) => r.cpuSec)).toFixed(3),
        peakMB: Math.round(median(ok.map((r) => r.peakMB))),
        heldMB: Math.round(median(ok.map((r) => r.heldMB))),
        inputMB: Math.round(median(ok.map((r) => r.inputMB))),
        runs: ok.length,
      }
    : { failed: runs[0].failed };
  console.log(JSON.stringify({ id, ...out[id] }));
}

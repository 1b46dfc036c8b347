// One bench/plan-scale case in this process (run.mjs starts one process per case). Builds the
// input first, then times only the call, and prints one JSON line: seconds (wall and the
// process's CPU time: user + system, GC threads included), the heap before,
// the peak during the call (from --trace-gc) and the heap still held after it (after a full GC).
import v8 from 'node:v8';
import { NOW_MS, datasetNames, hostState, listingText, policies } from './host.mjs';

const DIST = new URL(process.env.HF_DIST ?? '../../dist/', import.meta.url);
const load = (p) => import(new URL(p, DIST).href);
const { parseGetOutput } = await load('adapters/zfs/parse-get.js');
const MB = 1024 * 1024;
const used = () => v8.getHeapStatistics().used_heap_size;

const layouts = { '1ds': [1], '10000x100': [10_000, 100], '1000x1000': [1000, 1000], '100x10000': [100, 10_000] };

// Each case returns the function to time; everything it returns stays alive while measured.
const cases = {
  async clean(layout, total, comma = 'comma') {
    const { planClean } = await load('domain/snap/clean.js');
    const [d, per] = layout === '1ds' ? [1, total] : layouts[layout];
    const names = datasetNames(d);
    const state = hostState(parseGetOutput, names, per);
    const pol = policies(names);
    const base = [...state.datasets.values()][0].snapshots.at(-40).name;
    const protections = new Map(names.map((n) => [n, new Map([[base, 'the base of tank → backup']])]));
    return () => planClean(state, pol, protections, { commaDestroy: comma === 'comma' });
  },
  // clean --explain: the plan, then every verdict and its reasons' text, as the printer reads them.
  async explain(layout, total) {
    const plan = await cases.clean(layout, total);
    return () => {
      const p = plan();
      let lines = 0;
      for (const d of p.datasets) for (const v of d.verdicts) lines += v.reasons.length;
      return { p, lines };
    };
  },
  async take(layout, total) {
    const { planTake } = await load('domain/snap/take.js');
    const [d, per] = layout === '1ds' ? [1, total] : layouts[layout];
    const names = datasetNames(d);
    const state = hostState(parseGetOutput, names, per);
    const pol = policies(names);
    return () => planTake(state, pol, NOW_MS + 3_600_000, { multiSnapshot: false });
  },
  async parse(lines) {
    // 4 properties a snapshot: `lines` / 4 snapshots in 100 datasets.
    const text = listingText(datasetNames(100), Math.floor(lines / 4 / 100) - 1);
    return () => parseGetOutput(text, '');
  },
  async tree(layout) {
    const { treeRows } = await load('domain/views/tree.js');
    const [d, per] = layouts[layout];
    const state = hostState(parseGetOutput, datasetNames(d), per, ['creation']);
    return () => treeRows(state, ['tank'], NOW_MS);
  },
  async compare(layout) {
    const { compareTrees } = await load('domain/views/compare.js');
    const [d, per] = layouts[layout];
    const source = hostState(parseGetOutput, datasetNames(d), per, ['creation']);
    // The destination is 10 snapshots behind on every dataset.
    const dest = { datasets: new Map(), missing: [] };
    for (const [k, v] of source.datasets) dest.datasets.set(k, { ...v, snapshots: v.snapshots.slice(0, -10) });
    return () =>
      compareTrees({ source: { root: 'tank', state: source }, dest: { root: 'tank', state: dest }, excludes: [], nowMs: NOW_MS });
  },
  async monitor(layout) {
    const { freshnessChecks } = await load('domain/monitor/freshness.js');
    const { DEFAULT_THRESHOLDS } = await load('domain/monitor/thresholds.js');
    const [d, per] = layouts[layout];
    const names = datasetNames(d);
    const state = hostState(parseGetOutput, names, per, ['creation']);
    const pol = policies(names).get('tank');
    return () => [...state.datasets.values()].flatMap((ds) => freshnessChecks(ds.name, ds, pol, DEFAULT_THRESHOLDS, NOW_MS / 1000));
  },
  async store(objects) {
    const { analyzeChains } = await load('domain/store/chain.js');
    const { planStorePrune } = await load('domain/store/retention.js');
    const { manifestKey, streamKey } = await load('domain/store/names.js');
    // Half manifests, half stream objects; a full every 50 snapshots.
    const n = objects / 2;
    const dataset = 'tank/data';
    const names = (await import('./host.mjs')).snapNames(n);
    const stored = new Map();
    const streams = new Map();
    for (let i = 0; i < n; i++) {
      const kind = i % 50 === 0 ? 'full' : 'incremental';
      const key = streamKey(dataset, names[i], kind, { compress: 'zstd', encrypted: false });
      stored.set(names[i], {
        format: 'holdfast-manifest',
        version: 1,
        dataset,
        snapshot: names[i],
        guid: String(1000 + i),
        createtxg: i + 1,
        created: new Date(NOW_MS - (n - i) * 900_000).toISOString(),
        kind,
        parent: kind === 'full' ? null : { snapshot: names[i - 1], guid: String(999 + i) },
        object: { key, bytes: 1000, sha256: 'a'.repeat(64), parts: 1 },
        stream: { bytes: 1000, estimate: null },
        filters: { send: [], compress: 'zstd', encryption: null },
        uploaded: new Date(NOW_MS).toISOString(),
        writer: 'holdfast bench',
      });
      streams.set(key, { bytes: 1000, lastModifiedMs: NOW_MS - 86_400_000, snapshot: names[i] });
    }
    void manifestKey;
    const policy = policies([dataset]).get(dataset);
    return () => {
      const chains = analyzeChains(stored, streams);
      return planStorePrune({ dataset, stored, chains, unreadable: new Set(), streams, policy, nowMs: NOW_MS, orphanGraceMs: 3_600_000 });
    };
  },
};

const [kind, ...args] = process.argv.slice(2);
const run = await cases[kind](...args.map((a) => (/^\d+$/.test(a) ? Number(a) : a)));
globalThis.gc();
const before = used();
console.log(`@@begin ${Math.round(performance.now())}`);
const t0 = performance.now();
const c0 = process.cpuUsage();
const result = run();
const sec = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
const atEnd = used();
console.log('@@end');
globalThis.gc();
const after = used();
void result;
console.log(
  `@@result ${JSON.stringify({ sec, cpuSec: (cpu.user + cpu.system) / 1e6, beforeMB: before / MB, atEndMB: atEnd / MB, afterMB: after / MB })}`,
);

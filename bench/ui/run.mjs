#!/usr/bin/env node
// The overview's server time for 1,000 datasets x 100 snapshots (issue 14), by hand:
//   node bench/ui/run.mjs [REPS]      (after npm run build)
// Part 1, the server-side model: the overview's documents (tree, compare, monitor: the same
// app functions and JSON builders as the CLI's --json, dist/cli/ui/docs.js overviewDocs), its
// view model and its HTML, with SYNTHETIC host states (a source of 1,000 datasets x 100
// snapshots and a destination one snapshot behind) in place of zfs: no process runs. It counts
// the listings per host. Part 2 (REAL=1, zfs-fuse running, as root): the real listing cost, the
// one `zfs get` per host the overview runs, on a pool of REAL_DATASETS x REAL_SNAPSHOTS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = new URL('../../dist/', import.meta.url);
const load = (p) => import(new URL(p, dist).href);
const [{ loadPolicyFile }, { overviewDocs }, { overviewModel }, { layout, overviewPage }] = await Promise.all([
  load('config/load.js'),
  load('cli/ui/docs.js'),
  load('cli/ui/models.js'),
  load('cli/ui/pages.js'),
]);

const REPS = Number(process.argv[2] ?? 5);
const DATASETS = 1000;
const SNAPSHOTS = 100;
const nowSec = Math.floor(Date.now() / 1000);

// 100 snapshots per dataset, hourly, the newest an hour old; names in holdfast's format.
function snapshotsOf(dataset, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const t = nowSec - (SNAPSHOTS - i) * 3600;
    const name = `holdfast_${new Date(t * 1000).toISOString().slice(0, 19).replace('T', '_')}_hourly`;
    out.push({
      dataset,
      name,
      createtxg: i + 1,
      guid: `${dataset}@${i}`,
      userrefs: 0,
      props: { creation: String(t), used: '4096', referenced: '8192' },
    });
  }
  return out;
}

function hostState(root, count) {
  const datasets = new Map();
  datasets.set(root, {
    name: root,
    type: 'filesystem',
    snapshots: snapshotsOf(root, count),
    props: { used: '1', referenced: '1', compressratio: '1.00x' },
  });
  for (let i = 1; i < DATASETS; i++) {
    const name = `${root}/d${String(i).padStart(4, '0')}`;
    const snaps = snapshotsOf(name, count).map((s) => ({ ...s, guid: s.guid.replace(root, 'tank/data') }));
    datasets.set(name, { name, type: 'filesystem', snapshots: snaps, props: { used: '1', referenced: '1', compressratio: '1.00x' } });
  }
  return datasets;
}

// The two roots on one (local) host, as zfs would list them.
const source = hostState('tank/data', SNAPSHOTS);
const dest = new Map(
  [...hostState('backup/data', SNAPSHOTS - 1)].map(([n, d]) => [
    n,
    { ...d, snapshots: d.snapshots.map((s) => ({ ...s, guid: s.guid.replace('backup/data', 'tank/data') })) },
  ]),
);
let listings = 0;
const host = {
  endpoint: { kind: 'local' },
  capabilities: async () => ({ flavor: 'openzfs', version: '2.1.5', holds: true, bookmarks: true, written: true }),
  listState: async (roots) => {
    listings++;
    const datasets = new Map();
    for (const all of [source, dest]) for (const [n, d] of all) if (roots.some((r) => n === r || n.startsWith(`${r}/`))) datasets.set(n, d);
    return { datasets, missing: roots.filter((r) => !datasets.has(r)) };
  },
};

const dir = mkdtempSync(join(tmpdir(), 'hf-bench-ui-'));
const conf = join(dir, 'holdfast.conf');
writeFileSync(conf, '[tank/data]\nhourly = 100\nsnap = yes\nclean = yes\ndest = backup/data\n');
const file = await loadPolicyFile(conf);
const ctx = {
  log: { event: () => undefined },
  clock: { nowMs: () => Date.now() },
  dryRun: true,
  snapshots: () => host,
  printable: (_e, argv) => argv.join(' '),
};

const times = [];
const cpu = [];
let bytes = 0;
let perRun = 0;
for (let r = 0; r < REPS; r++) {
  const env = { config: async () => file, app: async () => ({ ctx }) }; // a fresh env per page, as the server's
  listings = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const { tree, compare, monitor, stores } = await overviewDocs(env, { runs: [] });
  const html = layout(
    { title: 'Overview', config: conf, readOnly: false, csrf: 'x' },
    overviewPage(overviewModel(tree, compare, monitor, stores)),
  );
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  bytes = html.length;
  perRun = listings;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`overview server time, ${DATASETS} datasets x ${SNAPSHOTS} snapshots (synthetic host states, no zfs), ${REPS} reps:`);
console.log(`  runs (ms): ${times.map((t) => t.toFixed(0)).join(' ')}; CPU time (ms): ${cpu.map((t) => t.toFixed(0)).join(' ')}`);
console.log(
  `  median CPU time: ${median(cpu).toFixed(0)} ms; load average now ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (2 CPUs)`,
);
console.log(
  `  median: ${median(times).toFixed(0)} ms  (target < 1000 ms); listings per page: ${perRun} (1 host); page ${(bytes / 1024).toFixed(0)} KiB`,
);

if (process.env.REAL === '1') {
  const D = Number(process.env.REAL_DATASETS ?? 100);
  const S = Number(process.env.REAL_SNAPSHOTS ?? 100);
  const pool = `hfbenchui${process.pid}`;
  const img = `/var/tmp/${pool}.img`;
  const zfs = (...a) => execFileSync('zfs', a, { maxBuffer: 1 << 30 }).toString();
  execFileSync('truncate', ['-s', '1G', img]);
  execFileSync('zpool', ['create', '-m', 'none', pool, img]);
  try {
    zfs('create', `${pool}/data`);
    for (let i = 1; i < D; i++) zfs('create', `${pool}/data/d${String(i).padStart(4, '0')}`);
    for (let i = 0; i < S; i++) zfs('snapshot', '-r', `${pool}/data@s${i}`);
    const real = [];
    for (let r = 0; r < REPS; r++) {
      const t0 = process.hrtime.bigint();
      // The overview's one listing of the host: zfs get -Hp -r with its properties (adapters/zfs).
      const out = zfs(
        'get',
        '-Hp',
        '-r',
        '-o',
        'name,property,value',
        'type,createtxg,guid,userrefs,creation,used,referenced,compressratio',
        `${pool}/data`,
      );
      real.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r === 0) console.log(`  real listing: ${out.split('\n').length - 1} lines`);
    }
    console.log(`real listing cost on zfs-fuse, ${D} datasets x ${S} snapshots, one zfs get per host, ${REPS} reps:`);
    console.log(`  runs (ms): ${real.map((t) => t.toFixed(0)).join(' ')}; median ${median(real).toFixed(0)} ms`);
  } finally {
    execFileSync('zpool', ['destroy', '-f', pool]);
    execFileSync('rm', ['-f', img]);
  }
}

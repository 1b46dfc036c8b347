import { runMonitor } from '../../app/views/monitor.js';
import { type CompareView, runCompare } from '../../app/views/compare.js';
import { treeTargets } from '../../app/views/targets.js';
import { runTree } from '../../app/views/tree.js';
import { jobsFromConfig } from '../../app/send/jobs.js';
import { CONFIG_SEND, sendWork } from '../../app/send/request.js';
import { runSnap } from '../../app/snap/cycle.js';
import { sourcesOf } from '../../app/store/config.js';
import { storeStatus } from '../../app/store/status.js';
import { nagiosReport } from '../../domain/monitor/nagios.js';
import { type CountKey, TREE_PROPS } from '../../domain/views/tree.js';
import type { AppContext } from '../../app/context.js';
import { sharedListings } from '../../app/views/shared-listing.js';
import type { PolicyFile } from '../../config/policy-file.js';
import type { PairConflict, PairState } from '../../domain/views/compare.js';
import type { CommandEnv } from '../compose/env.js';
import { storeSetup } from '../compose/store.js';
import { viewSsh } from '../compose/views.js';
import { compareJson } from '../render/compare.js';
import { monitorJson } from '../render/monitor.js';
import { snapReportJson } from '../render/snap.js';
import { statusJson } from '../render/store-status.js';
import { treesJson } from '../render/tree.js';
import { readFileSync } from 'node:fs';

// The documents of the UI's pages and of /api/…: built by the same app functions and the same
// JSON builders as the CLI's --json (cli/render), so the page, a script and the CLI read one
// truth. The types below are those builders' shapes, as the pages read them.

export interface TreeDoc {
  trees: {
    label: string;
    role: string;
    section: string | null;
    problem: string | null;
    datasets: {
      dataset: string;
      depth: number;
      snapshots: number;
      counts: Record<CountKey, number>;
      newest: { name: string; created: number | null; ageSec: number | null } | null;
      used: number | null;
      referenced: number | null;
      compressratio: number | null;
    }[];
  }[];
}

export interface CompareDatasetDoc {
  source: string;
  dest: string;
  state: PairState;
  counts: { source: number; target: number; common: number; sourceOnly: number; targetOnly: number; differs: number };
  base: string | null;
  lag: { sec: number | null; behind: number; oldestMissing: string | null; newestMissing: string | null } | null;
  conflicts: PairConflict[];
  excluded: string | null;
  snapshots: { name: string; where: 'both' | 'source' | 'target' | 'differs' }[];
}

export interface CompareDoc {
  pairs: { source: string; dest: string; section: string | null; problem: string | null; datasets: CompareDatasetDoc[] }[];
}

export interface MonitorDoc {
  exit: number;
  status: string;
  summary: string;
  checks: { status: string; message: string; perf: unknown }[];
}

export interface PlanDoc {
  dryRun: boolean;
  hosts: {
    host: string;
    commands: string[];
    taken: number;
    destroyed: number;
    datasets: {
      dataset: string;
      section: string;
      take: { dataset: string; type: string; due: boolean; why: string; snapName?: string; unchanged?: true }[];
      snapshots: { name: string; keep: boolean; reasons: string[] }[];
    }[];
  }[];
  failures: { target: string; stage: string; message: string }[];
}

export interface StatusDoc {
  store: string;
  doc?: unknown;
  error?: string;
  datasets: { dataset: string; broken: number; chains?: number }[];
}

// What the UI reads besides the config: the run files (`--run FILE`, as monitor's).
export interface UiInputs {
  readonly runs: readonly string[];
}

// What the views need of a CommandEnv (a bench gives its own, with synthetic hosts).
export type ViewEnv = Pick<CommandEnv, 'config' | 'app'>;

// The env's context for the views, once per env, with one listing per host for all of them
// (app/views/shared-listing.ts): a page's views read the same listing.
const contexts = new WeakMap<ViewEnv, Promise<AppContext>>();
async function viewContext(env: ViewEnv, file: PolicyFile): Promise<AppContext> {
  let c = contexts.get(env);
  if (!c) contexts.set(env, (c = env.app(viewSsh(file, {})).then(({ ctx }) => sharedListings(ctx, TREE_PROPS))));
  return c;
}

// The overview's documents, from one listing per host.
export async function overviewDocs(
  env: ViewEnv,
  inputs: UiInputs,
): Promise<{ tree: TreeDoc; compare: CompareDoc; monitor: MonitorDoc; stores: StatusDoc[] }> {
  const file = await env.config();
  const ctx = await viewContext(env, file);
  const tree = await treeDoc(env, 'source');
  const views = await runCompare(ctx, jobsFromConfig(file).jobs); // compare's, and monitor's lag checks
  const compare = compareJson(views) as CompareDoc;
  const monitor = await monitorDoc(env, inputs, views);
  const stores = storeUrls(file).length > 0 ? await statusDocs(env as CommandEnv) : [];
  return { tree, compare, monitor, stores };
}

export async function treeDoc(env: ViewEnv, what?: string): Promise<TreeDoc> {
  const file = await env.config();
  // 'all' (the page's default): the sources, then every destination.
  const targets = what === 'all' ? [...treeTargets(file, 'source'), ...treeTargets(file, 'target')] : treeTargets(file, what);
  return treesJson(await runTree(await viewContext(env, file), targets)) as TreeDoc;
}

export async function compareDoc(env: ViewEnv, section?: string): Promise<CompareDoc> {
  const file = await env.config();
  const jobs = jobsFromConfig(file).jobs.filter((j) => section === undefined || j.section?.name === section);
  return compareJson(await runCompare(await viewContext(env, file), jobs)) as CompareDoc;
}

export async function monitorDoc(env: ViewEnv, inputs: UiInputs, compared?: readonly CompareView[]): Promise<MonitorDoc> {
  const file = await env.config();
  const runs = inputs.runs.map((path) => ({ path, text: readOrUndefined(path) }));
  const checks = await runMonitor(await viewContext(env, file), file, { flags: {}, runs, sections: [], ...(compared ? { compared } : {}) });
  return monitorJson(nagiosReport(checks), checks) as MonitorDoc;
}

// `holdfast plan --json`: what snap would take and destroy, and why (always a dry run).
export async function planDoc(env: CommandEnv): Promise<PlanDoc> {
  const file = await env.config();
  const { ctx } = await env.app(viewSsh(file, {}));
  const report = await runSnap({ ...ctx, dryRun: true }, file.trees, { take: true, clean: true });
  return snapReportJson(report, true) as PlanDoc;
}

// `holdfast status --json` of every store destination of the config (s3://, file://).
export async function statusDocs(env: CommandEnv): Promise<StatusDoc[]> {
  const file = await env.config();
  const out: StatusDoc[] = [];
  for (const url of storeUrls(file)) {
    try {
      const { cfg, composed, ports } = await storeSetup(env, url);
      const sources = sourcesOf(file, cfg.location)
        .map((s) => (s.location.kind === 'zfs' ? { endpoint: s.location.endpoint, root: s.location.dataset } : undefined))
        .filter((x) => x !== undefined);
      const st = await storeStatus({ ctx: composed.ctx, ports, config: cfg, sources, explain: false });
      out.push({ store: url, doc: statusJson(st), datasets: st.datasets.map((d) => ({ dataset: d.dataset, broken: d.broken })) });
    } catch (e) {
      out.push({ store: url, error: e instanceof Error ? e.message.split('\n')[0]! : String(e), datasets: [] });
    }
  }
  return out;
}

const storeUrls = (file: PolicyFile): string[] => [...new Set(sendWork(file, CONFIG_SEND).stores.map((s) => s.config.url))];

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

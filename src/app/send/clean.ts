import type { PolicyFile } from '../../config/policy-file.js';
import type { Protections } from '../../domain/snap/clean.js';
import { isSelfOrDescendant } from '../../domain/dataset-name.js';
import { type Endpoint, endpointKey } from '../../domain/endpoint.js';
import type { AppContext } from '../context.js';
import type { SendPorts } from './ports.js';
import type { JobReport } from './report.js';
import { type SnapReport, runSnap } from '../snap/cycle.js';

// After sending, a destination with a section of its own is pruned by its own policy (pyznap
// users ran `snap --clean` for that). The snap cycle's clean does it, limited to those sections;
// replication bases are held, and also passed as protections. Skipped while a snap runs.
export async function cleanDestinations(
  ctx: AppContext,
  ports: SendPorts,
  file: PolicyFile,
  jobs: readonly JobReport[],
): Promise<{ report?: SnapReport; skipped?: string }> {
  const dests = jobs.filter((j) => j.status !== 'busy').map((j) => j.job.dest);
  const sections = file.trees.filter(
    (s) =>
      s.kind === 'zfs' &&
      dests.some((d) => endpointKey(d.endpoint) === endpointKey(s.endpoint) && isSelfOrDescendant(s.dataset, d.dataset)),
  );
  const cleaning = sections.filter((s) => s.policy.clean);
  if (cleaning.length === 0) return {};
  const lock = ctx.dryRun ? undefined : await ports.lock('snap');
  if (lock && 'busy' in lock) return { skipped: `a snap run is in progress (${lock.busy}); it cleans the destinations itself` };
  try {
    // The clean sees only these sections (their policies were resolved against the whole file).
    const protections = basesByHost(jobs);
    const report = await runSnap({ ...ctx, protections: async (_kind, e) => protections.get(endpointKey(e)) ?? new Map() }, sections, {
      take: false,
      clean: true,
    });
    return { report };
  } finally {
    if (lock && 'release' in lock) lock.release();
  }
}

// Every base the jobs hold on a destination host, as clean protections.
function basesByHost(jobs: readonly JobReport[]): Map<string, Protections> {
  const out = new Map<string, Map<string, Map<string, string>>>();
  for (const j of jobs) {
    const k = endpointKey(j.job.dest.endpoint as Endpoint);
    const host = out.get(k) ?? new Map<string, Map<string, string>>();
    for (const p of j.pairs) {
      if (!p.plan.newBase) continue;
      const names = host.get(p.plan.dest) ?? new Map<string, string>();
      names.set(p.plan.newBase, `replication base of ${j.label}`);
      host.set(p.plan.dest, names);
    }
    out.set(k, host);
  }
  return out;
}

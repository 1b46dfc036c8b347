import { placeLabel } from '../../domain/endpoint.js';
import { hookEnv, runHook } from '../hooks/run.js';
import type { RunEnv } from './env.js';
import type { SendJob } from './jobs.js';
import type { JobReport } from './report.js';

// One job (a source tree to one destination) between its section's pre_send_command and
// post_send_command. The pre command runs before anything reaches either host (it may wake a
// disk or open a VPN the capability probes need); the post command runs whenever the pre
// command ran, whatever the send did. A dry run runs neither.
export async function hookedJob(run: RunEnv, job: SendJob, send: () => Promise<JobReport>): Promise<JobReport> {
  const hooks = job.options.hooks;
  if (!hooks || run.o.dryRun) return send();
  const env = hookEnv({
    SECTION: hooks.section,
    SOURCE: placeLabel(job.source.endpoint, job.source.dataset),
    DESTINATION: placeLabel(job.dest.endpoint, job.dest.dataset),
  });
  const label = `${run.where(job.source.endpoint, job.source.dataset)} → ${run.where(job.dest.endpoint, job.dest.dataset)}`;
  let report: JobReport | undefined;
  if (hooks.pre) {
    const skip = hooks.onPreFailure === 'skip';
    const then = skip ? `${label} not sent this run` : 'sending anyway (pre_send_failure = send)';
    const why = await runHook(run.ctx, 'pre_send_command', hooks, hooks.pre, env, then);
    if (why !== undefined && skip)
      report = { job, label, prelude: [], pairs: [], holds: [], notes: [], status: 'failed', problem: `pre_send_command failed: ${why}` };
  }
  try {
    report ??= await send();
  } finally {
    if (hooks.post) {
      const status = report === undefined ? 'failed' : report.status;
      const why = await runHook(run.ctx, 'post_send_command', hooks, hooks.post, { ...env, HOLDFAST_SEND_STATUS: status });
      // A post command that failed (the VPN stayed open) fails the job: someone must look.
      if (why !== undefined && report !== undefined)
        report = { ...report, status: 'failed', problem: report.problem ?? `post_send_command failed: ${why}` };
    }
  }
  return report;
}

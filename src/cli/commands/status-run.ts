import { sourcesOf } from '../../app/store/config.js';
import { statusHealthy, storeStatus } from '../../app/store/status.js';
import type { Body } from '../action.js';
import type { CommandEnv } from '../compose/env.js';
import { EXIT } from '../exit-codes.js';
import { renderStatus, statusJson } from '../render/store-status.js';
import { isStoreProblem, storeSetup } from '../compose/store.js';

// The options of the command, as commander gives them (they are defined in status.ts).
export interface StatusFlags {
  dataset?: string;
  explain?: boolean;
}

// The body of `holdfast status` (registered in status.ts), loaded when it runs.
export const statusBody: Body<StatusFlags> = (env, o, args) => status(env, args[0]!, o);

async function status(env: CommandEnv, dest: string, o: StatusFlags): Promise<number> {
  const { file, cfg, composed, ports } = await storeSetup(env, dest);
  const sources = sourcesOf(file, cfg.location)
    .map((s) => (s.location.kind === 'zfs' ? { endpoint: s.location.endpoint, root: s.location.dataset } : undefined))
    .filter((x) => x !== undefined);
  let st;
  try {
    st = await storeStatus({
      ctx: composed.ctx,
      ports,
      config: cfg,
      ...(o.dataset ? { dataset: o.dataset } : {}),
      sources,
      explain: Boolean(o.explain),
    });
  } catch (e) {
    if (!isStoreProblem(e)) throw e;
    composed.ctx.log.event({ kind: 'failed', stage: 'status', target: cfg.url, message: e.message });
    env.outcome = { command: 'status', counts: {}, failures: [{ target: cfg.url, stage: 'status', message: e.message }] };
    return EXIT.partial;
  }
  env.out(env.g.json ? `${JSON.stringify(statusJson(st), null, 2)}\n` : renderStatus(st));
  const broken = st.datasets.reduce((n, d) => n + d.broken, 0);
  env.outcome = {
    command: 'status',
    counts: { datasets: st.datasets.length, broken },
    failures: st.datasets
      .filter((d) => d.broken > 0)
      .map((d) => ({ target: `${cfg.url} ${d.dataset}`, stage: 'status', message: `${d.broken} broken chain(s)` })),
  };
  return statusHealthy(st) ? EXIT.ok : EXIT.partial;
}

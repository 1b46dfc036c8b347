import { verifyStore } from '../../app/store/verify.js';
import type { Body } from '../action.js';
import type { CommandEnv } from '../compose/env.js';
import { EXIT } from '../exit-codes.js';
import { renderVerify } from '../render/store-ops.js';
import { isStoreProblem, storeSetup } from '../compose/store.js';

// The options of the command, as commander gives them (they are defined in verify.ts).
export interface VerifyFlags {
  dataset?: string;
}

// The body of `holdfast verify` (registered in verify.ts), loaded when it runs.
export const verifyBody: Body<VerifyFlags> = (env, o, args) => verify(env, args[0]!, o);

async function verify(env: CommandEnv, dest: string, o: VerifyFlags): Promise<number> {
  const { cfg, composed, ports } = await storeSetup(env, dest);
  let v;
  try {
    v = await verifyStore({ ctx: composed.ctx, ports, config: cfg, ...(o.dataset ? { dataset: o.dataset } : {}) });
  } catch (e) {
    if (!isStoreProblem(e)) throw e;
    composed.ctx.log.event({ kind: 'failed', stage: 'verify', target: cfg.url, message: e.message });
    env.outcome = { command: 'verify', counts: {}, failures: [{ target: cfg.url, stage: 'verify', message: e.message }] };
    return EXIT.partial;
  }
  env.out(env.g.json ? `${JSON.stringify(v, null, 2)}\n` : renderVerify(v));
  env.outcome = {
    command: 'verify',
    counts: { objects: v.rows.length, failed: v.failed },
    failures: v.rows
      .filter((r) => r.status !== 'ok')
      .map((r) => ({ target: `${v.url}/${r.key}`, stage: 'verify', message: r.detail ?? r.status })),
  };
  composed.ctx.log.event({ kind: 'verify-summary', destination: v.url, objects: v.rows.length, failures: v.failed });
  return v.failed > 0 ? EXIT.partial : EXIT.ok;
}

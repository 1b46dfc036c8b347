import { RestoreRefused, restore } from '../../app/store/restore.js';
import type { KeySource } from '../../app/store/ports.js';
import { datasetNameProblem, snapshotNameProblem } from '../../domain/dataset-name.js';
import { parseLocation } from '../../domain/location.js';
import type { Body } from '../action.js';
import type { CommandEnv } from '../compose/env.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { renderRestorePlan } from '../render/store-ops.js';
import { isStoreProblem, storeSetup } from '../compose/store.js';

// The options of the command, as commander gives them (they are defined in restore.ts).
export interface RestoreFlags {
  to?: string;
  force?: boolean;
  keyFile?: string;
  keyEnv?: string;
  verifyFirst?: boolean;
}

// The body of `holdfast restore` (registered in restore.ts), loaded when it runs.
export const restoreBody: Body<RestoreFlags> = (env, o, args) => restoreCmd(env, args[0]!, args[1]!, o);

async function restoreCmd(env: CommandEnv, dest: string, what: string, o: RestoreFlags): Promise<number> {
  const at = what.indexOf('@');
  const [dataset, snapshot] = at < 0 ? [what, ''] : [what.slice(0, at), what.slice(at + 1)];
  const bad = datasetNameProblem(dataset) ?? snapshotNameProblem(snapshot);
  if (at < 0 || bad) throw new UsageError(`restore: "${what}" is not DATASET@SNAPSHOT${bad ? ` (${bad})` : ''}`);
  const to = parseLocation(o.to ?? '');
  if (!to.ok || to.value.kind !== 'zfs') throw new UsageError(`restore: --to ${o.to}: ${to.ok ? 'not a dataset' : to.problem}`);
  if (o.keyFile && o.keyEnv) throw new UsageError('restore: give --key-file or --key-env, not both');
  const key: KeySource | undefined = o.keyFile ? { file: o.keyFile } : o.keyEnv ? { env: o.keyEnv } : undefined;
  const { cfg, composed, ports } = await storeSetup(env, dest);
  const input = {
    ctx: composed.ctx,
    ports,
    config: cfg,
    dataset,
    snapshot,
    target: { endpoint: to.value.endpoint, dataset: to.value.dataset },
    force: Boolean(o.force),
    ...(key ? { key } : {}),
    verifyFirst: Boolean(o.verifyFirst),
  };
  let r;
  try {
    r = await restore(input);
  } catch (e) {
    if (!(e instanceof RestoreRefused) && !isStoreProblem(e)) throw e;
    composed.ctx.log.event({ kind: 'failed', stage: 'restore', target: what, message: e.message });
    env.outcome = { command: 'restore', counts: { received: 0 }, failures: [{ target: what, stage: 'restore', message: e.message }] };
    if (env.g.json) env.out(`${JSON.stringify({ source: what, status: 'refused', error: e.message }, null, 2)}\n`);
    return EXIT.partial;
  }
  if (env.g.json) env.out(`${JSON.stringify(r, null, 2)}\n`);
  else if (r.status === 'planned') env.out(renderRestorePlan(r));
  env.outcome = {
    command: 'restore',
    counts: { received: r.received.length },
    failures: r.error ? [{ target: what, stage: 'restore', message: r.error }] : [],
  };
  if (r.status === 'restored')
    composed.ctx.log.event({ kind: 'restored', snapshot: r.source, destination: r.target, links: r.received.length });
  return r.status === 'failed' ? EXIT.partial : EXIT.ok;
}

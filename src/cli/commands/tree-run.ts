import { treeTargets } from '../../app/views/targets.js';
import { runTree } from '../../app/views/tree.js';
import type { Body } from '../action.js';
import { EXIT } from '../exit-codes.js';
import { renderTrees, treesJson } from '../render/tree.js';
import { colourWanted, styleFor } from '../render/tree-style.js';
import type { ViewFlags } from './view-options.js';
import { optionalConfig, viewSsh } from '../compose/views.js';

// The body of `holdfast tree` (registered in tree.ts).
export const treeBody: Body<ViewFlags> = async (env, o, args) => {
  const what = args[0];
  const file = await optionalConfig(env, what === undefined || what === 'source' || what === 'target');
  const targets = treeTargets(file, what); // a TreeArgumentError is a usage error (exit 2)
  const { ctx } = await env.app(viewSsh(file, o));
  const views = await runTree(ctx, targets);
  env.out(env.g.json ? `${JSON.stringify(treesJson(views), null, 2)}\n` : renderTrees(views, styleFor(colourWanted(process.stdout))));
  return views.some((v) => v.problem) ? EXIT.partial : EXIT.ok;
};

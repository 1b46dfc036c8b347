import { resolveAll } from '../../app/check.js';
import { formatIssue } from '../../config/issue.js';
import { loadPolicyFile } from '../../config/load.js';
import { errorsOf, warningsOf } from '../../config/policy-file.js';
import type { Body } from '../action.js';
import { EXIT } from '../exit-codes.js';
import type { CheckFlags } from './check.js';

// The body of `holdfast check` (registered in check.ts).
export const checkBody: Body<CheckFlags> = async (env, o) => {
  const file = await loadPolicyFile(env.g.config);
  const resolved = resolveAll(file);
  if (env.g.json) {
    env.out(`${JSON.stringify({ file: file.path, pyznapMode: file.pyznapMode, issues: file.issues, sections: resolved }, null, 2)}\n`);
  } else {
    for (const i of file.issues) env.err(`${formatIssue(i)}\n`);
    for (const s of resolved) {
      env.out(`[${s.section}]  line ${s.line}  ${s.location === null ? '(skipped: not a valid location)' : s.location}\n`);
      for (const v of s.values) {
        const from = v.from === s.section ? '' : `   (from ${v.from === 'default' || v.from === 'safety' ? v.from : `[${v.from}]`})`;
        env.out(`  ${v.key.padEnd(18)} ${JSON.stringify(v.value)}${from}\n`);
      }
    }
  }
  const errors = errorsOf(file).length;
  const warnings = warningsOf(file).length;
  env.err(`${file.path}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${file.pyznapMode ? ' (pyznap.conf: default prefix pyznap)' : ''}\n`);
  return errors > 0 || (o.strict && warnings > 0) ? EXIT.usage : EXIT.ok;
};

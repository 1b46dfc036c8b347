import { checkPolicyFile } from '../../config/check.js';
import { issueLines } from '../../config/issue.js';
import type { Body } from '../action.js';
import { EXIT } from '../exit-codes.js';

// The options of the command, as commander gives them (they are defined in check.ts).
export interface CheckFlags {
  strict?: boolean;
}

// The body of `holdfast check` (registered in check.ts). Exit 0 only for a clean file: 1 when
// it printed warnings (the runs go on with them, so they are easy to miss), 2 on errors (and on
// warnings with --strict).
export const checkBody: Body<CheckFlags> = async (env, o) => {
  const { file, resolved: resolveAll } = await checkPolicyFile(env.g.config);
  const { errors, warnings } = file.counts;
  const more = errors + warnings - file.issues.length;
  // A file with more problems than we print is not worth resolving (a wrong --config, garbage).
  const resolved = more > 0 ? [] : resolveAll();
  if (env.g.json) {
    env.out(
      `${JSON.stringify({ file: file.path, pyznapMode: file.pyznapMode, errors, warnings, issues: file.issues, moreIssues: more, sections: resolved }, null, 2)}\n`,
    );
  } else {
    for (const l of issueLines(file)) env.err(`${l}\n`);
    if (more > 0) env.err(`${file.path}: the resolved policy is not shown until there are fewer problems; fix the ones above first\n`);
    for (const s of resolved) {
      env.out(`[${s.section}]  line ${s.line}  ${s.location === null ? '(skipped: not a valid location)' : s.location}\n`);
      for (const v of s.values) {
        const from = v.from === s.section ? '' : `   (from ${v.from === 'default' || v.from === 'safety' ? v.from : `[${v.from}]`})`;
        env.out(`  ${v.key.padEnd(18)} ${JSON.stringify(v.value)}${from}\n`);
      }
    }
  }
  const empty =
    file.sections.length === 0 && errors === 0 ? '; no sections yet: snap and send do nothing until you add one, such as [tank/data]' : '';
  env.err(
    `${file.path}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${file.pyznapMode ? ' (pyznap.conf: default prefix pyznap)' : ''}${empty}\n`,
  );
  if (errors > 0 || (o.strict && warnings > 0)) return EXIT.usage;
  return warnings > 0 ? EXIT.partial : EXIT.ok;
};

import { parseLocation } from '../../domain/location.js';
import type { ConfigIssue } from '../issue.js';
import { ALL_KEYS } from '../keys/index.js';
import type { ParsedSection } from '../parsed.js';

// pyznap gives dest_keys and compress one entry per *ssh* destination and the other lists one
// per destination. A list that fits neither count is padded with defaults, as pyznap does;
// holdfast says so, because a short list silently changes what the later destinations get.
export function checkDestLists(s: ParsedSection, defaults: ParsedSection, file: string): ConfigIssue[] {
  const dest = (s.values.dest ?? defaults.values.dest)?.value;
  const issues: ConfigIssue[] = [];
  const where = (line: number, key: string) => ({ file, line, section: s.name, key });
  if (!dest) {
    for (const spec of ALL_KEYS.filter((k) => k.scope === 'dest' && k.name !== 'dest')) {
      const v = s.values[spec.name];
      if (v && s.name !== 'DEFAULT')
        issues.push({ severity: 'warning', ...where(v.line, spec.name), message: 'set, but this section has no dest; it has no effect' });
    }
    return issues;
  }
  const destLine = (s.values.dest ?? defaults.values.dest)!.line;
  const locs = dest.map(parseLocation);
  locs.forEach((l, i) => {
    if (!l.ok)
      issues.push({
        severity: 'warning',
        ...where(destLine, 'dest'),
        message: `destination ${i + 1}: ${l.problem}; it will be skipped (and reported as failed by send)`,
      });
  });
  const sshCount = locs.filter((l) => l.ok && 'endpoint' in l.value && l.value.endpoint.kind === 'ssh').length;
  for (const spec of ALL_KEYS.filter((k) => k.scope === 'dest' && k.name !== 'dest')) {
    const v = s.values[spec.name];
    if (!v || !Array.isArray(v.value)) continue;
    const n = v.value.length;
    const sshOnly = spec.name === 'dest_keys' || spec.name === 'compress';
    if (n === dest.length || (sshOnly && n === sshCount)) continue;
    const want = sshOnly
      ? `${sshCount} (one per ssh destination) or ${dest.length} (one per destination)`
      : `${dest.length} (one per destination)`;
    issues.push({
      severity: 'warning',
      ...where(v.line, spec.name),
      message: `has ${n} entr${n === 1 ? 'y' : 'ies'} for ${dest.length} destination${dest.length === 1 ? '' : 's'}; expected ${want}. Missing entries take the default, as in pyznap: write one per destination, e.g. "yes, yes"`,
    });
  }
  if (s.name === 'DEFAULT')
    issues.push({
      severity: 'warning',
      ...where(destLine, 'dest'),
      message: 'dest in [DEFAULT] applies to every section (as in pyznap); usually it belongs in one section',
    });
  return issues;
}

import { errorsOf, warningsOf } from '../../../config/policy-file.js';
import type { DoctorCheck } from '../finding.js';

// The same parse every run does: an error makes the next run exit 2 and do nothing.
export const configValidCheck: DoctorCheck = async (d) => {
  if (!d.file) return [];
  const errors = errorsOf(d.file);
  const warnings = warningsOf(d.file);
  const fix = `holdfast --config ${d.configPath} check (each problem with its line)`;
  if (errors.length > 0) {
    const first = errors[0]!;
    return [{ check: 'policy', where: d.configPath, status: 'fail', detail: `${errors.length} error${errors.length === 1 ? '' : 's'} (line ${first.line}: ${first.message}); the next run does nothing`, fix }];
  }
  if (warnings.length > 0) {
    const first = warnings[0]!;
    return [{ check: 'policy', where: d.configPath, status: 'warn', detail: `${warnings.length} warning${warnings.length === 1 ? '' : 's'} (line ${first.line}: ${first.message})`, fix }];
  }
  const n = d.file.sections.length;
  return [{ check: 'policy', where: d.configPath, status: 'ok', detail: `valid: ${n} section${n === 1 ? '' : 's'}` }];
};

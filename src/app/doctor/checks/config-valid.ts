import type { DoctorCheck } from '../finding.js';

// The same parse every run does: an error makes the next run exit 2 and do nothing.
export const configValidCheck: DoctorCheck = async (d) => {
  if (!d.file) return [];
  const errors = d.file.counts.errors;
  const warnings = d.file.counts.warnings;
  const fix = `holdfast --config ${d.configPath} check (each problem with its line)`;
  // The shown issues hold the first errors whenever there are any (errors are kept first).
  if (errors > 0) {
    const first = d.file.issues.find((i) => i.severity === 'error')!;
    return [
      {
        check: 'policy',
        where: d.configPath,
        status: 'fail',
        detail: `${errors} error${errors === 1 ? '' : 's'} (line ${first.line}: ${first.message}); the next run does nothing`,
        fix,
      },
    ];
  }
  if (warnings > 0) {
    const first = d.file.issues[0]!;
    return [
      {
        check: 'policy',
        where: d.configPath,
        status: 'warn',
        detail: `${warnings} warning${warnings === 1 ? '' : 's'} (line ${first.line}: ${first.message})`,
        fix,
      },
    ];
  }
  const n = d.file.sections.length;
  return [{ check: 'policy', where: d.configPath, status: 'ok', detail: `valid: ${n} section${n === 1 ? '' : 's'}` }];
};

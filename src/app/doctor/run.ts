import { CHECKS } from './checks/index.js';
import type { DoctorCheck, DoctorDeps, Finding } from './finding.js';
import { messageOf } from '../failures.js';

export interface DoctorReport {
  readonly findings: readonly Finding[];
  readonly failed: number;
  readonly warned: number;
}

// `holdfast doctor`: run every check in order; a check that throws becomes a failing row
// (a doctor that crashes on a broken host would hide the very thing it should show).
export async function runDoctor(d: DoctorDeps, checks: readonly DoctorCheck[] = CHECKS): Promise<DoctorReport> {
  const findings: Finding[] = [];
  for (const check of checks) {
    try {
      findings.push(...(await check(d)));
    } catch (e) {
      findings.push({
        check: check.name.replace(/Check$/, '') || 'check',
        where: '-',
        status: 'fail',
        detail: `the check itself failed: ${messageOf(e)}`,
        fix: 'run with -v and report this as a holdfast bug',
      });
    }
  }
  return {
    findings,
    failed: findings.filter((f) => f.status === 'fail').length,
    warned: findings.filter((f) => f.status === 'warn').length,
  };
}

import type { Body } from '../action.js';
import { EXIT } from '../exit-codes.js';

// The options of the command, as commander gives them (they are defined in doctor.ts).
export interface DoctorFlags {
  notify?: boolean;
  strict?: boolean;
}

// The body of `holdfast doctor` (registered in doctor.ts): the checks, wired by compose/doctor.ts,
// then the report and the verdict.
export const doctorBody: Body<DoctorFlags> = async (env, o) => {
  const [{ runDoctor }, { doctorDeps }, { doctorVerdict, renderDoctor }] = await Promise.all([
    import('../../app/doctor/run.js'),
    import('../compose/doctor.js'),
    import('../render/doctor.js'),
  ]);
  const report = await runDoctor(await doctorDeps(env, o.notify === true));
  const code = report.failed > 0 || (o.strict && report.warned > 0) ? EXIT.partial : EXIT.ok;
  if (env.g.json)
    env.out(
      `${JSON.stringify({ config: env.g.config, exitCode: code, failed: report.failed, warned: report.warned, findings: report.findings }, null, 2)}\n`,
    );
  else env.out(renderDoctor(report, Boolean(process.stdout.isTTY) && !process.env.NO_COLOR));
  env.err(doctorVerdict(report, code));
  return code;
};

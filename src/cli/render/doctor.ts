import type { DoctorReport } from '../../app/doctor/run.js';
import type { Finding, Status } from '../../app/doctor/finding.js';

const LABEL: Record<Status, string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL', skip: 'skip' };
const COLOUR: Record<Status, string> = { ok: '32', warn: '33', fail: '31;1', skip: '2' };

// A terminal gets an aligned table with colours; a pipe gets the same rows as plain lines
// (`STATUS check where: detail`, then `  fix: …`), greppable and colourless.
export function renderDoctor(r: DoctorReport, tty: boolean): string {
  return tty ? table(r.findings) : plain(r.findings);
}

function plain(rows: readonly Finding[]): string {
  return rows
    .map((f) => `${LABEL[f.status].padEnd(4)} ${f.check} ${f.where}: ${f.detail}\n${f.fix ? `     fix: ${f.fix}\n` : ''}`)
    .join('');
}

function table(rows: readonly Finding[]): string {
  const w = (k: 'check' | 'where') => Math.min(40, Math.max(k.length, ...rows.map((f) => f[k].length)));
  const [cw, ww] = [w('check'), w('where')];
  const paint = (s: Status, text: string) => `\u001b[${COLOUR[s]}m${text}\u001b[0m`;
  const head = `${'STATUS'.padEnd(6)}  ${'CHECK'.padEnd(cw)}  ${'WHERE'.padEnd(ww)}  DETAIL`;
  const lines = rows.flatMap((f) => {
    const where = f.where.length > ww ? `${f.where.slice(0, ww - 1)}…` : f.where.padEnd(ww);
    const line = `${paint(f.status, LABEL[f.status].padEnd(6))}  ${f.check.padEnd(cw)}  ${where}  ${f.detail}`;
    return f.fix ? [line, `${' '.repeat(8 + cw + ww + 4)}\u001b[1mfix:\u001b[0m ${f.fix}`] : [line];
  });
  return `\u001b[1m${head}\u001b[0m\n${lines.join('\n')}\n`;
}

// The closing line: counts, and what the exit code means.
export function doctorVerdict(r: DoctorReport, exitCode: number): string {
  const ok = r.findings.filter((f) => f.status === 'ok').length;
  const what =
    r.failed > 0
      ? 'the next run would fail; fix the FAIL rows'
      : r.warned > 0
        ? 'the next run works; the warnings are worth fixing'
        : 'all good';
  return `doctor: ${ok} ok, ${r.warned} warning${r.warned === 1 ? '' : 's'}, ${r.failed} failure${r.failed === 1 ? '' : 's'}: ${what} (exit ${exitCode})\n`;
}

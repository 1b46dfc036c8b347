import { ageText } from '../units.js';
import type { Check, Status } from './nagios.js';

export type ReadSample = { name: string; labels: Record<string, string>; value: number };

// Read samples back from a file holdfast wrote (its own dialect: no timestamps, no exemplars),
// e.g. to carry the last success time over a failed run. Lines it cannot read are skipped.
export function readSamples(text: string): ReadSample[] {
  const out: ReadSample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    out.push({ name: m[1]!, labels, value });
  }
  return out;
}

// The last run, as the textfile `snap/send --prometheus FILE` wrote it: its exit code and
// failed datasets. Failures are a WARNING (the freshness and lag checks say how bad), and so is
// a run stopped by a signal (129 SIGHUP, 130 SIGINT, 143 SIGTERM: a shutdown, an operator; the
// next run recovers); a run that could not work at all (config error, internal error) is
// CRITICAL; no file is UNKNOWN.
const STOPPED_BY: Readonly<Record<number, string>> = { 129: 'SIGHUP', 130: 'SIGINT', 143: 'SIGTERM' };

export function runFileCheck(path: string, text: string | undefined, nowSec: number): Check {
  if (text === undefined) return { status: 'UNKNOWN', message: `${path}: cannot read it (has snap/send run with --prometheus ${path}?)` };
  const samples = readSamples(text);
  const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  const command = samples.find((s) => s.name === 'holdfast_run_exit_code')?.labels.command;
  const exit = value('holdfast_run_exit_code');
  const ended = value('holdfast_run_timestamp_seconds');
  if (command === undefined || exit === undefined || ended === undefined)
    return { status: 'UNKNOWN', message: `${path}: not a holdfast run file` };
  const failed = value('holdfast_datasets', { command, status: 'failed' }) ?? 0;
  const when = `${ageText(Math.max(0, nowSec - ended))} ago`;
  const signal = STOPPED_BY[exit];
  const status: Status = exit === 0 ? 'OK' : exit === 1 || exit === 3 || signal ? 'WARNING' : 'CRITICAL';
  const what =
    exit === 0
      ? 'ok'
      : exit === 1
        ? `${failed} dataset${failed === 1 ? '' : 's'} failed`
        : exit === 3
          ? 'another run held the lock'
          : signal
            ? `interrupted by ${signal}`
            : `exit ${exit}`;
  return {
    status,
    message: `last ${command} run ${when}: ${what}`,
    perf: { label: `${command} failed datasets`, value: failed, uom: '', min: 0 },
  };
}

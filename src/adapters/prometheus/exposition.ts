import { HoldfastError } from '../../domain/errors.js';
// The Prometheus text exposition format (version 0.0.4), as node_exporter's textfile collector
// reads it: HELP and TYPE once per family, then its samples; label values escaped.
// https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format

export interface Sample {
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly samples: readonly Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

// A programming error, not a user error: names are constants in holdfast's code.
export class BadMetricError extends HoldfastError {
  override name = 'BadMetricError';
}

export const escapeHelp = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
export const escapeLabelValue = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

// Go's float text: integers plain, specials as NaN/+Inf/-Inf.
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export function formatExposition(families: readonly MetricFamily[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of families) {
    if (!NAME.test(f.name)) throw new BadMetricError(`invalid metric name ${f.name}`);
    if (seen.has(f.name)) throw new BadMetricError(`metric ${f.name} given twice`);
    seen.add(f.name);
    if (f.samples.length === 0) continue;
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) out.push(`${f.name}${labelText(s.labels)} ${formatValue(s.value)}`);
  }
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

function labelText(labels: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return '';
  for (const [k] of entries) if (!LABEL.test(k) || k.startsWith('__')) throw new BadMetricError(`invalid label name ${k}`);
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

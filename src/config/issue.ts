// One problem found in a config file. Every problem is collected before anything runs, so
// the user fixes them all in one pass.
export interface ConfigIssue {
  readonly severity: 'error' | 'warning';
  readonly file: string;
  readonly line: number;
  readonly section?: string;
  readonly key?: string;
  readonly message: string; // what is wrong, and what to do
}

// "holdfast.conf:12: [tank/data] hourly: ..." — one line, greppable, points at the spot.
export function formatIssue(i: ConfigIssue): string {
  const where = [i.section !== undefined ? `[${i.section}]` : '', i.key ?? ''].filter(Boolean).join(' ');
  return `${i.file}:${i.line}: ${i.severity}: ${where ? `${where}: ` : ''}${i.message}`;
}

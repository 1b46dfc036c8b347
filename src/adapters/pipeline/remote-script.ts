import { randomBytes } from 'node:crypto';

// The far side of ssh runs a POSIX shell, and dash has no pipefail. So the remote part of a
// pipeline runs under this fixed script, which rebuilds the pipeline from its positional
// parameters ("INDEX COUNT ARGV…" per stage) and reports each stage's exit status as a
// "TAG INDEX STATUS" line on stderr. The stages' argv travel as plain arguments: ssh.ts
// quotes them (the one quoting site), nothing here builds shell text, and nothing is eval'd.
export const REMOTE_SCRIPT = [
  'hf_run() {',
  '  hf_i=$1; hf_n=$2; shift 2',
  '  if [ "$#" -eq "$hf_n" ]; then "$@"; echo "$hf_tag $hf_i $?" >&2; return 0; fi',
  '  { (hf_m=$(($# - hf_n)); hf_k=0',
  '     while [ "$hf_k" -lt "$hf_n" ]; do set -- "$@" "$1"; shift; hf_k=$((hf_k + 1)); done',
  '     shift "$hf_m"; exec "$@"); echo "$hf_tag $hf_i $?" >&2; } | { shift "$hf_n"; hf_run "$@"; }',
  '}',
  'hf_tag=$1; shift; hf_run "$@"',
].join('\n');

// A tag no stage's stderr will contain by chance.
export function newTag(): string {
  return `#holdfast-stage-${randomBytes(6).toString('hex')}`;
}

// The argv to run on the remote host: sh -c SCRIPT with the stages flattened behind it.
export function remoteArgv(tag: string, stages: readonly { index: number; argv: readonly string[] }[]): string[] {
  const flat = stages.flatMap((s) => [String(s.index), String(s.argv.length), ...s.argv]);
  return ['sh', '-c', REMOTE_SCRIPT, 'holdfast', tag, ...flat];
}

// Split the remote stderr into the stages' statuses and the text the stages wrote. A status
// line may follow text that did not end in a newline, so the tag is searched anywhere.
export function parseStatuses(stderr: string, tag: string): { statuses: Map<number, number>; text: string } {
  const statuses = new Map<number, number>();
  const kept: string[] = [];
  const re = new RegExp(`${tag.replace(/[^A-Za-z0-9]/g, '\\$&')} (\\d+) (\\d+)$`);
  for (const line of stderr.split('\n')) {
    const m = re.exec(line);
    if (!m) {
      kept.push(line);
      continue;
    }
    statuses.set(Number(m[1]), Number(m[2]));
    const before = line.slice(0, m.index);
    if (before !== '') kept.push(before);
  }
  return { statuses, text: kept.join('\n') };
}

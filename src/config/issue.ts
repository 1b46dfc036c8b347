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

// How many problems a command prints; the rest are counted ("… and N more in FILE").
export const ISSUES_SHOWN = 50;

// "holdfast.conf:12: [tank/data] hourly: ..." — one line, greppable, points at the spot.
export function formatIssue(i: ConfigIssue): string {
  const where = [i.section !== undefined ? `[${clip(i.section, 80)}]` : '', clip(i.key ?? '', 60)].filter(Boolean).join(' ');
  return `${i.file}:${i.line}: ${i.severity}: ${where ? `${where}: ` : ''}${i.message}`;
}

// The lines a command prints for a file's problems: the ones kept, then how many more there are.
export function issueLines(f: { readonly path: string; readonly issues: readonly ConfigIssue[]; readonly counts: IssueCounts }): string[] {
  const more = f.counts.errors + f.counts.warnings - f.issues.length;
  const stopped = f.counts.stoppedAt ? `; reading stopped at line ${f.counts.stoppedAt}: is this the policy file?` : '';
  return [...f.issues.map(formatIssue), ...(more > 0 || stopped ? [`… and ${more} more in ${f.path}${stopped}`] : [])];
}

export interface IssueCounts {
  readonly errors: number;
  readonly warnings: number;
  readonly stoppedAt?: number; // the reader gave up at this line (too many problems)
}

// A value echoed in a message stays short: a 5 MB line must not come back as a 5 MB message.
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

// Shorten the middle of a long message: its start says what, its end says what to do.
function elide(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 121)} … ${text.slice(-118)}`;
}

interface Kept {
  readonly issue: ConfigIssue;
  readonly seq: number;
}
const before = (a: Kept, b: Kept): boolean => a.issue.line < b.issue.line || (a.issue.line === b.issue.line && a.seq < b.seq);

// Counts every problem exactly but keeps only the first ISSUES_SHOWN errors and warnings by line:
// a garbage file costs a few counters, not a list of a million messages. O(1) per problem in
// file order, O(ISSUES_SHOWN) at worst.
export class IssueCollector {
  private readonly kept: { error: Kept[]; warning: Kept[] } = { error: [], warning: [] };
  private readonly count = { error: 0, warning: 0 };
  private seq = 0;
  private stoppedAt: number | undefined;

  get total(): number {
    return this.count.error + this.count.warning;
  }

  // The reader gave up here; the counts are then "at least".
  stop(line: number): void {
    this.stoppedAt = line;
  }

  add(issue: ConfigIssue): void {
    this.count[issue.severity]++;
    const list = this.kept[issue.severity];
    const k = { issue, seq: this.seq++ };
    if (list.length === ISSUES_SHOWN && !before(k, list[list.length - 1]!)) return;
    let at = list.length;
    while (at > 0 && before(k, list[at - 1]!)) at--;
    list.splice(at, 0, { issue: { ...issue, message: elide(issue.message, 300) }, seq: k.seq });
    if (list.length > ISSUES_SHOWN) list.pop();
  }

  // Whether a problem at this line would be kept: a hint nobody will see need not be computed.
  wouldKeep(severity: ConfigIssue['severity'], line: number): boolean {
    const list = this.kept[severity];
    return list.length < ISSUES_SHOWN || line < list[list.length - 1]!.issue.line;
  }

  // What to show, in line order: errors before warnings when there are too many to show all;
  // with `strict`, every warning counts as an error.
  result(strict: boolean): { issues: ConfigIssue[]; counts: IssueCounts } {
    const byLine = (a: Kept, b: Kept): number => a.issue.line - b.issue.line || a.seq - b.seq;
    if (strict) {
      const all = [...this.kept.error, ...this.kept.warning].sort(byLine).slice(0, ISSUES_SHOWN);
      return {
        issues: all.map((k) => ({ ...k.issue, severity: 'error' })),
        counts: { errors: this.total, warnings: 0, ...this.stopped() },
      };
    }
    const shown = [...this.kept.error, ...this.kept.warning.slice(0, ISSUES_SHOWN - this.kept.error.length)].sort(byLine);
    return { issues: shown.map((k) => k.issue), counts: { errors: this.count.error, warnings: this.count.warning, ...this.stopped() } };
  }

  private stopped(): { stoppedAt?: number } {
    return this.stoppedAt === undefined ? {} : { stoppedAt: this.stoppedAt };
  }
}

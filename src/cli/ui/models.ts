import { ageText } from '../../domain/units.js';
import type { PairState } from '../../domain/views/compare.js';
import { COUNT_KEYS, type CountKey } from '../../domain/views/tree.js';
import type { CompareDoc, MonitorDoc, StatusDoc, TreeDoc } from './docs.js';

// The pages' view models: pure functions of the JSON documents (docs.ts), so what a page shows
// is what `--json` says. Tones colour as abgleich colours its tables: green in step, yellow
// behind or missing, red conflicts and failures, grey nothing to say.

export type Tone = 'ok' | 'warn' | 'bad' | 'muted';

export const STATE_TONE: Readonly<Record<PairState, Tone>> = {
  'up-to-date': 'ok',
  behind: 'warn',
  'missing-on-target': 'warn',
  'missing-on-source': 'bad',
  conflict: 'bad',
  'no-snapshots': 'muted',
  excluded: 'muted',
};

export const statusTone = (s: string): Tone => (s === 'OK' ? 'ok' : s === 'WARNING' ? 'warn' : s === 'CRITICAL' ? 'bad' : 'muted');

export interface DestCell {
  readonly dest: string; // the destination dataset, as compare names it
  readonly label: string; // the pair's destination location
  readonly state: PairState;
  readonly tone: Tone;
  readonly lag: string; // "3h05m", "-" when none
  readonly lagSec: number | null;
  readonly behind: number;
}

export interface OverviewRow {
  readonly section: string | null;
  readonly dataset: string;
  readonly depth: number;
  readonly counts: Readonly<Record<CountKey, number>>;
  readonly newest: string | null;
  readonly age: string;
  readonly ageSec: number | null;
  readonly dests: readonly DestCell[];
}

export interface Overview {
  readonly verdict: { readonly status: string; readonly tone: Tone; readonly summary: string };
  readonly checks: readonly { readonly status: string; readonly tone: Tone; readonly message: string }[];
  readonly rows: readonly OverviewRow[];
  readonly problems: readonly string[]; // a tree or pair that could not be listed
  readonly stores: readonly { readonly store: string; readonly tone: Tone; readonly text: string }[];
  readonly countKeys: readonly CountKey[];
}

const ageOf = (sec: number | null | undefined): string => (sec === null || sec === undefined ? '-' : ageText(sec));

export function overviewModel(tree: TreeDoc, compare: CompareDoc, monitor: MonitorDoc, stores: readonly StatusDoc[] = []): Overview {
  const rows: OverviewRow[] = [];
  const problems: string[] = [];
  for (const t of tree.trees.filter((x) => x.role === 'source')) {
    if (t.problem) problems.push(`${t.label}: ${t.problem}`);
    const pairs = compare.pairs.filter((p) => p.section === t.section);
    for (const d of t.datasets) {
      const dests: DestCell[] = [];
      for (const p of pairs) {
        const c = p.datasets.find((x) => x.source === d.dataset);
        if (!c) continue;
        const lagSec = c.lag?.sec ?? null;
        dests.push({
          dest: c.dest,
          label: p.dest,
          state: c.state,
          tone: STATE_TONE[c.state],
          lag: ageOf(lagSec),
          lagSec,
          behind: c.lag?.behind ?? 0,
        });
      }
      rows.push({
        section: t.section,
        dataset: d.dataset,
        depth: d.depth,
        counts: d.counts,
        newest: d.newest?.name ?? null,
        age: ageOf(d.newest?.ageSec),
        ageSec: d.newest?.ageSec ?? null,
        dests,
      });
    }
  }
  for (const p of compare.pairs) if (p.problem) problems.push(`${p.source} → ${p.dest}: ${p.problem}`);
  return {
    verdict: { status: monitor.status, tone: statusTone(monitor.status), summary: monitor.summary },
    checks: monitor.checks.map((c) => ({ status: c.status, tone: statusTone(c.status), message: c.message })),
    rows,
    problems,
    stores: stores.map((s) => {
      if (s.error !== undefined) return { store: s.store, tone: 'bad' as const, text: s.error };
      const broken = s.datasets.reduce((n, d) => n + d.broken, 0);
      return {
        store: s.store,
        tone: broken > 0 ? ('bad' as const) : ('ok' as const),
        text: `${s.datasets.length} dataset${s.datasets.length === 1 ? '' : 's'}, ${broken === 0 ? 'every chain whole' : `${broken} broken chain(s)`}`,
      };
    }),
    countKeys: COUNT_KEYS,
  };
}

import { type RetentionPeriod, parsePeriod, periodStart } from '../backup/duration.js';

// When to start a new full chain, so that old chains can expire whole: after N incrementals
// (`full_every = 30`), or once the chain's full is older than a period (`full_every = 7d`).
export type FullEvery =
  | { readonly kind: 'count'; readonly count: number; readonly text: string }
  | { readonly kind: 'age'; readonly period: RetentionPeriod; readonly text: string };

export function parseFullEvery(raw: string): { value: FullEvery } | { error: string } {
  const text = raw.trim();
  if (/^\d+$/.test(text)) return { value: { kind: 'count', count: Number(text), text } };
  const p = parsePeriod(text);
  if ('error' in p) return { error: `"${raw}" is neither a count of incrementals (e.g. 30) nor an age (e.g. 7d, 1 month): ${p.error}` };
  return { value: { kind: 'age', period: p.value, text } };
}

// Where the chain an upload would extend stands.
export interface ChainPosition {
  readonly fullSnapshot: string;
  readonly fullCreatedMs: number;
  readonly incrementals: number; // after the full
}

// Why the next snapshot must start a new chain instead of extending `chain`; undefined: extend.
export function newFullReason(fe: FullEvery | undefined, chain: ChainPosition, nextCreatedMs: number): string | undefined {
  if (!fe) return undefined;
  if (fe.kind === 'count') {
    if (chain.incrementals >= fe.count)
      return `full_every = ${fe.text}: the chain from @${chain.fullSnapshot} already holds ${chain.incrementals} incremental${chain.incrementals === 1 ? '' : 's'}`;
    return undefined;
  }
  const start = periodStart(nextCreatedMs, fe.period, 'UTC');
  if (chain.fullCreatedMs <= start) return `full_every = ${fe.text}: the chain's full @${chain.fullSnapshot} is older than ${fe.text}`;
  return undefined;
}

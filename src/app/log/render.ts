// How an event is logged: its level and its one text line. The text line of a cron log and the
// `msg` of a --log-json line are the same string; the JSON line adds the event's own fields.

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Render<E> {
  readonly level: Level | ((e: E) => Level);
  readonly text: (e: E) => string;
}

// One rendering per kind of a union of events: a kind added to the union without one does not
// compile (zx's LogEntry formatters are the model).
export type Renderers<U extends { readonly kind: string }> = { readonly [K in U['kind']]: Render<Extract<U, { readonly kind: K }>> };

// "…; 0 failed", "…; 2 failed: tank/a, tank/b": the tail of every run's closing line.
export const failedTail = (failed: readonly string[]): string => `${failed.length} failed${failed.length ? `: ${failed.join(', ')}` : ''}`;

// The closing line's level: error when anything failed.
export const errorIfFailed = (e: { readonly failed: readonly string[] }): Level => (e.failed.length > 0 ? 'error' : 'info');

// "1 snapshot", "2 snapshots".
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

// "a", "a and b", "a, b and c".
export function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

import type { Renderers } from './render.js';

// What every command may report: a failure, a destination another run holds, the external
// commands it ran (-v), its interruption, the notifications after it.
export type RunEvent =
  // Something failed and the run went on: what was being done (list, take, clean, send, prune,
  // verify, restore, …) to which place (a dataset, "SOURCE → DEST", a store URL, a backup job).
  | { readonly kind: 'failed'; readonly stage: string; readonly target: string; readonly message: string }
  // Skipped because another run is working on the same destination (the next run catches up).
  | { readonly kind: 'busy'; readonly command: string; readonly target: string; readonly reason: string }
  // Not this command's business (a store destination for the zfs send branch); said at -v.
  | { readonly kind: 'handled-elsewhere'; readonly command: string; readonly target: string; readonly reason: string }
  // A configuration with nothing for the command to do.
  | { readonly kind: 'nothing-to-do'; readonly command: 'snap' | 'send' | 'compare'; readonly config: string }
  // Every external command, once (-v): the host (absent: this one), the command, how it ended.
  | { readonly kind: 'command'; readonly host?: string; readonly command: string; readonly exitCode: number; readonly ms: number }
  // Stopped by a signal: what ran then, and what the next run does about it.
  | {
      readonly kind: 'interrupted';
      readonly signal: string;
      readonly during: string;
      readonly next?: string;
      readonly unconfirmedAfterSec?: number; // the run had not finished stopping after the grace
    }
  // A consistency hook ran (this host, no shell): ok, or why it failed and what the run did then.
  | {
      readonly kind: 'hook';
      readonly hook: string; // pre_snapshot_command, …
      readonly section: string;
      readonly command: string;
      readonly exitCode: number;
      readonly ms: number;
      readonly failure?: string;
      readonly then?: string; // "no snapshot of [tank/db]", "snapshot anyway", …
    }
  | { readonly kind: 'notified'; readonly target: string; readonly detail: string }
  | { readonly kind: 'notify-failed'; readonly target: string; readonly message: string }
  // --prometheus could not be written in full; the run's own result stands.
  | { readonly kind: 'textfile-failed'; readonly part: 'file' | 'lag'; readonly message: string };

const NOTHING = {
  snap: (config: string) => `snap: ${config} has no sections yet; nothing to do until you add one, such as [tank/data]`,
  send: (config: string) => `send: no section of ${config} has a dest; nothing to do`,
  compare: (config: string) => `compare: no section of ${config} has a zfs dest; nothing to compare`,
} as const;

export const RUN_EVENTS: Renderers<RunEvent> = {
  failed: { level: 'error', text: (e) => `${e.stage} ${e.target}: ${e.message}` },
  busy: { level: 'warn', text: (e) => `${e.command} ${e.target}: ${e.reason}` },
  'handled-elsewhere': { level: 'debug', text: (e) => `${e.command} ${e.target}: ${e.reason}` },
  'nothing-to-do': { level: 'warn', text: (e) => NOTHING[e.command](e.config) },
  command: { level: 'debug', text: (e) => `${e.host ? `${e.host}: ` : ''}${e.command} → exit ${e.exitCode} in ${e.ms} ms` },
  interrupted: {
    level: 'warn',
    text: (e) =>
      `interrupted by ${e.signal} during ${e.during}${e.next ? `; ${e.next}` : ''}${e.unconfirmedAfterSec !== undefined ? ` (unconfirmed: the run had not finished stopping after ${e.unconfirmedAfterSec} s)` : ''}`,
  },
  hook: {
    level: (e) => (e.failure === undefined ? 'info' : 'error'),
    text: (e) =>
      e.failure === undefined
        ? `[${e.section}] ${e.hook} ran: ${e.command} (${e.ms} ms)`
        : `[${e.section}] ${e.hook} failed: ${e.failure}${e.then ? `; ${e.then}` : ''}`,
  },
  notified: { level: 'info', text: (e) => `notified ${e.target} (${e.detail})` },
  'notify-failed': { level: 'warn', text: (e) => `notification to ${e.target} failed: ${e.message}; the run's result stands` },
  'textfile-failed': {
    level: 'warn',
    text: (e) => `--prometheus: ${e.part === 'lag' ? 'replication lag not measured: ' : ''}${e.message}`,
  },
};

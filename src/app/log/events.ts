import { BACKUP_EVENTS, type BackupEvent } from './backup.js';
import type { Level, Render, Renderers } from './render.js';
import { RUN_EVENTS, type RunEvent } from './run.js';
import { SEND_EVENTS, type SendEvent } from './send.js';
import { SNAP_EVENTS, type SnapEvent } from './snap.js';
import { STORE_EVENTS, type StoreEvent } from './store.js';

// Everything holdfast logs, as data: one kind per thing that happens, with its fields. The text
// line and the JSON line are both rendered from the event (app/log/logger.ts); a kind without a
// text rendering does not compile.
export type LogEvent = RunEvent | SnapEvent | SendEvent | StoreEvent | BackupEvent;

export type LogKind = LogEvent['kind'];

export const RENDER: Renderers<LogEvent> = { ...RUN_EVENTS, ...SNAP_EVENTS, ...SEND_EVENTS, ...STORE_EVENTS, ...BACKUP_EVENTS };

const renderOf = <E extends LogEvent>(e: E): Render<E> => RENDER[e.kind] as unknown as Render<E>;

// The event's one line, as the text log prints it and the JSON log's `msg` carries it.
export function textOf(e: LogEvent): string {
  return renderOf(e).text(e);
}

export function levelOf(e: LogEvent): Level {
  const l = renderOf(e).level;
  return typeof l === 'function' ? l(e) : l;
}

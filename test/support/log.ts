import { eventLogger } from '../../src/app/log/logger.js';
import type { LogEvent, Logger } from '../../src/app/ports.js';

// A logger that drops everything.
export const quietLog: Logger = { event: () => undefined };

// A logger that keeps every event and, as the text log prints them ("INFO took …"), the lines
// at info and above.
export function memoryLog(): { log: Logger; lines: string[]; events: LogEvent[] } {
  const lines: string[] = [];
  const events: LogEvent[] = [];
  const text = eventLogger({ write: (level, msg) => level !== 'debug' && lines.push(`${level.toUpperCase()} ${msg}`) });
  return { lines, events, log: { event: (e) => (events.push(e), text.event(e)) } };
}

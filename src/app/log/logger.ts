import type { LogSink, Logger } from '../ports.js';
import { levelOf, textOf } from './events.js';

// The app's logger over a sink (infra/logger.ts): each event goes out once, at its kind's level,
// as its text line with its fields beside it (the text sink prints the line, the JSON sink both).
export function eventLogger(sink: LogSink): Logger {
  return { event: (e) => sink.write(levelOf(e), textOf(e), e) };
}

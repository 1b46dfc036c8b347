import type { Level, LogEvent, LogSink } from '../app/ports.js';

const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  readonly level: Level;
  readonly json: boolean;
  readonly now: () => number;
  readonly write?: (line: string) => void; // default: stderr
}

// Logs go to stderr (stdout carries plans, tables and --json), one line per event, so a cron
// log stays greppable: "2026-11-22T21:46:37+01:00 INFO  took tank/data@holdfast_…_hourly". The
// text line is the event's text alone; --log-json adds its fields (app/log/logger.ts renders both).
export async function createLogger(o: LoggerOptions): Promise<LogSink> {
  if (o.json) return jsonLogger(o);
  const write = o.write ?? ((line: string) => process.stderr.write(line));
  return {
    write: (level, msg) => {
      if (ORDER[level] < ORDER[o.level]) return;
      write(`${isoLocal(o.now())} ${level.toUpperCase().padEnd(5)} ${msg.replace(/\n/g, ' ⏎ ')}\n`);
    },
  };
}

// pino, loaded only when --log-json asks for it (it costs start-up time otherwise): the event's
// fields (its `kind` first), the text as `msg`.
async function jsonLogger(o: LoggerOptions): Promise<LogSink> {
  const { pino } = await import('pino');
  const dest = pino.destination({ fd: 2, sync: true });
  const p = pino({ level: o.level, base: { name: 'holdfast' }, timestamp: () => `,"time":"${isoLocal(o.now())}"` }, dest);
  return { write: (level: Level, msg: string, fields: LogEvent) => p[level](fields, msg) };
}

// ISO 8601 with the local offset: unambiguous across DST changes, still readable.
export function isoLocal(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const p = (n: number, w = 2) => String(Math.floor(Math.abs(n))).padStart(w, '0');
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${sign}${p(off / 60)}:${p(off % 60)}`;
}

import type { Logger } from '../app/ports.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  readonly level: Level;
  readonly json: boolean;
  readonly now: () => number;
  readonly write?: (line: string) => void; // default: stderr
}

// Logs go to stderr (stdout carries plans, tables and --json), one line per event, so a cron
// log stays greppable: "2026-11-22T21:46:37+01:00 INFO  took tank/data@holdfast_…_hourly".
export async function createLogger(o: LoggerOptions): Promise<Logger> {
  if (o.json) return jsonLogger(o);
  const write = o.write ?? ((line: string) => process.stderr.write(line));
  const emit = (level: Level) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[o.level]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${formatFields(fields)}` : '';
    write(`${isoLocal(o.now())} ${level.toUpperCase().padEnd(5)} ${msg.replace(/\n/g, ' ⏎ ')}${extra}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

// pino, loaded only when --log-json asks for it (it costs start-up time otherwise).
async function jsonLogger(o: LoggerOptions): Promise<Logger> {
  const { pino } = await import('pino');
  const dest = pino.destination({ fd: 2, sync: true });
  const p = pino({ level: o.level, base: { name: 'holdfast' }, timestamp: () => `,"time":"${isoLocal(o.now())}"` }, dest);
  const emit = (level: Level) => (msg: string, fields?: Record<string, unknown>) => p[level](fields ?? {}, msg);
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

function formatFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
}

// ISO 8601 with the local offset: unambiguous across DST changes, still readable.
export function isoLocal(ms: number): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const p = (n: number, w = 2) => String(Math.floor(Math.abs(n))).padStart(w, '0');
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${sign}${p(off / 60)}:${p(off % 60)}`;
}

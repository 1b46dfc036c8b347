import { readFileSync } from 'node:fs';
import type { LogEvent, Logger } from '../../app/ports.js';
import { textOf } from '../../app/log/events.js';
import type { TransferWatch } from '../../app/send/ports.js';
import type { SendEvents, TransferInfo } from '../../app/send/transfer.js';
import { bytesText, clockText, rateText } from '../../domain/units.js';

// Progress of a running transfer. On a terminal, a one-line meter redrawn twice a second; in a
// log (cron, a file), one line per interval (a minute) once a transfer has run that long. The
// bytes come from pv -n when pv is in the pipeline, else from the kernel's I/O counters of a
// local zfs process (/proc/PID/io; zfs-fuse does its I/O in its daemon, so there only the time
// is known). No stream byte passes through holdfast.

export interface Progress {
  readonly bytes?: number;
  readonly sizeBytes?: number; // the estimate, when comparable with `bytes`
  readonly elapsedSec: number;
}

// Rate (average since the start), percent and time left, where the numbers allow.
export function figures(p: Progress): { rate?: number; percent?: number; etaSec?: number } {
  const rate = p.bytes !== undefined && p.elapsedSec > 0 ? p.bytes / p.elapsedSec : undefined;
  if (p.bytes === undefined || !p.sizeBytes) return rate !== undefined ? { rate } : {};
  // An estimate can be short of the real stream: never show 100% before the end.
  const percent = Math.min(99, Math.floor((p.bytes / p.sizeBytes) * 100));
  const etaSec = rate && p.sizeBytes > p.bytes ? (p.sizeBytes - p.bytes) / rate : undefined;
  return { ...(rate !== undefined ? { rate } : {}), percent, ...(etaSec !== undefined ? { etaSec } : {}) };
}

// The meter: "tank/data@snap → ssh:22:root@nas:pool/data  1.2 GiB of ~4.0 GiB  30%  45.0 MiB/s  ETA 1:05",
// fitted to `columns`. What gives way first: the destination, then the dataset path from the
// left at a "/" ("…/data@snap"), then the figures but bytes and percent; the @snapshot stays whole.
export function meterLine(info: TransferInfo, p: Progress, columns: number): string {
  const width = Math.max(columns - 1, 20);
  const f = figures(p);
  const full =
    p.bytes === undefined
      ? [`${clockText(p.elapsedSec)} elapsed`]
      : [
          `${bytesText(p.bytes)}${p.sizeBytes ? ` of ~${bytesText(p.sizeBytes)}` : ''}`,
          ...(f.percent !== undefined ? [`${f.percent}%`] : []),
          ...(f.rate !== undefined ? [rateText(f.rate)] : []),
          f.etaSec !== undefined ? `ETA ${clockText(f.etaSec)}` : clockText(p.elapsedSec),
        ];
  const snap = `@${info.snapshot}`;
  const short = p.bytes === undefined ? full : [bytesText(p.bytes), ...(f.percent !== undefined ? [`${f.percent}%`] : [])];
  for (const figs of [full.join('  '), short.join('  ')]) {
    const room = width - 2 - 2 - figs.length;
    const label = fitLabel(info, snap, room);
    if (label !== undefined) return `  ${label}  ${figs}`;
  }
  return `  …${snap}`.slice(0, width);
}

function fitLabel(info: TransferInfo, snap: string, room: number): string | undefined {
  const withDest = `${info.source}${snap} → ${info.dest}`;
  if (withDest.length <= room) return withDest;
  if (info.source.length + snap.length <= room) return `${info.source}${snap}`;
  const keep = room - snap.length - 1; // characters of the dataset after "…"
  if (keep < 0) return undefined;
  const tail = info.source.slice(info.source.length - keep);
  const slash = tail.indexOf('/');
  return `…${slash >= 0 ? tail.slice(slash) : ''}${snap}`;
}

// The log event, whose line reads "sending tank/data@snap → pool/data: 1.2 GiB of ~4.0 GiB
// (30%) in 1:00, 20.5 MiB/s, about 2:20 left" (app/log/send.ts).
export function progressEvent(info: TransferInfo, p: Progress): LogEvent {
  const f = figures(p);
  return {
    kind: 'progress',
    dataset: info.source,
    snapshot: info.snapshot,
    destination: info.dest,
    elapsedSec: p.elapsedSec,
    ...(p.bytes !== undefined ? { bytes: p.bytes } : {}),
    ...(p.sizeBytes ? { sizeBytes: p.sizeBytes } : {}),
    ...(f.percent !== undefined ? { percent: f.percent } : {}),
    ...(f.rate !== undefined ? { bytesPerSec: f.rate } : {}),
    ...(f.etaSec !== undefined ? { etaSec: f.etaSec } : {}),
  };
}

// Its text line.
export const progressLogLine = (info: TransferInfo, p: Progress): string => textOf(progressEvent(info, p));

// The meter on a terminal: one line per transfer in flight, redrawn in place twice a second.
export function progressEvents(tty: NodeJS.WriteStream): SendEvents {
  const live = new Map<TransferInfo, () => string>();
  let drawn = 0; // lines on screen, the cursor on the last one
  let timer: NodeJS.Timeout | undefined;
  const erase = (): void => {
    if (drawn > 0) tty.write(`\r\x1b[K${'\x1b[1A\x1b[K'.repeat(drawn - 1)}`);
    drawn = 0;
  };
  const draw = (): void => {
    erase();
    const lines = [...live.values()].map((line) => line());
    tty.write(lines.join('\n'));
    drawn = lines.length;
  };
  return {
    transferStart: (info) => {
      const count = byteCounter(info.pv);
      const t0 = Date.now();
      live.set(info, () => {
        const p = { ...count.progress(), elapsedSec: (Date.now() - t0) / 1000, ...(info.sizeBytes ? { sizeBytes: info.sizeBytes } : {}) };
        return meterLine(info, p, tty.columns ?? 80);
      });
      timer ??= setInterval(draw, 500);
      return count.watch;
    },
    transferEnd: ({ transfer }) => {
      live.delete(transfer);
      if (live.size > 0) return;
      clearInterval(timer);
      timer = undefined;
      erase();
    },
  };
}

// Progress lines in a log: the first after `intervalMs` (a minute), then one per interval, so
// a short transfer logs none and a long one is never silent. Each line names its transfer.
export function progressLogEvents(log: Logger, intervalMs: number): SendEvents {
  const timers = new Map<TransferInfo, NodeJS.Timeout>();
  return {
    transferStart: (info) => {
      const count = byteCounter(info.pv);
      const t0 = Date.now();
      const timer = setInterval(() => {
        log.event(
          progressEvent(info, {
            ...count.progress(),
            elapsedSec: (Date.now() - t0) / 1000,
            ...(info.sizeBytes ? { sizeBytes: info.sizeBytes } : {}),
          }),
        );
      }, intervalMs);
      timer.unref();
      timers.set(info, timer);
      return count.watch;
    },
    transferEnd: ({ transfer }) => {
      clearInterval(timers.get(transfer));
      timers.delete(transfer);
    },
  };
}

// Bytes so far: pv -n's numbers when pv is in the pipeline, else the I/O counters of the local
// zfs send (written) or zfs receive (read), sampled when asked.
function byteCounter(pv: boolean): { watch: Omit<TransferWatch, 'watchStderr'>; progress(): { bytes?: number } } {
  let bytes: number | undefined;
  let fromPv = pv;
  let pid: number | undefined;
  let counter: 'wchar' | 'rchar' = 'wchar';
  return {
    watch: {
      onStderrLine: (_i, line) => {
        if (!/^\d+$/.test(line.trim())) return;
        fromPv = true;
        bytes = Number(line.trim());
      },
      onStart: (procs) => {
        const send = procs.find((p) => p.local && p.role === 'send');
        const recv = procs.find((p) => p.local && p.role === 'receive');
        pid = send?.pid ?? recv?.pid;
        counter = send ? 'wchar' : 'rchar';
      },
    },
    progress: () => {
      if (pid !== undefined && !fromPv) bytes = ioCount(pid, counter) || bytes;
      return bytes !== undefined ? { bytes } : {};
    },
  };
}

function ioCount(pid: number, counter: 'wchar' | 'rchar'): number | undefined {
  try {
    const m = new RegExp(`^${counter}: (\\d+)$`, 'm').exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

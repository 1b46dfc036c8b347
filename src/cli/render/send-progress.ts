import { readFileSync } from 'node:fs';
import type { SendEvents } from '../../app/send-transfer.js';
import { sizeText } from '../../app/send-transfer.js';

// A one-line meter on a TTY: bytes, rate and ETA. From pv -n when pv is installed; otherwise
// built in, from the kernel's I/O counters of a local zfs process (/proc/PID/io; zfs-fuse does
// its I/O in its daemon, so there the meter shows the elapsed time only).
export function progressEvents(tty: NodeJS.WriteStream): SendEvents {
  let timer: NodeJS.Timeout | undefined;
  return {
    transferStart: ({ label, sizeBytes, pv }) => {
      const t0 = Date.now();
      let bytes: number | undefined;
      const draw = (): void => {
        const secs = (Date.now() - t0) / 1000;
        const rate = bytes !== undefined && secs > 0 ? bytes / secs : undefined;
        const eta = rate && sizeBytes && bytes !== undefined && sizeBytes > bytes ? ` ETA ${clock((sizeBytes - bytes) / rate)}` : '';
        const amount = bytes === undefined ? `${clock(secs)} elapsed` : `${sizeText(bytes)}${sizeBytes ? ` of ~${sizeText(sizeBytes)}` : ''} ${rate ? `${sizeText(Math.round(rate))}/s` : ''}${eta}`;
        tty.write(`\r\x1b[K  ${label.slice(0, Math.max(20, (tty.columns ?? 100) - 50))}  ${amount}`);
      };
      let pid: number | undefined;
      let fromPv = pv; // with pv in the pipeline, only its numbers count
      let counter: 'wchar' | 'rchar' = 'wchar';
      timer = setInterval(() => {
        if (pid !== undefined && !fromPv) bytes = ioCount(pid, counter) || bytes;
        draw();
      }, 500);
      return {
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
      };
    },
    transferEnd: () => {
      if (timer) clearInterval(timer);
      timer = undefined;
      tty.write('\r\x1b[K');
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

function clock(secs: number): string {
  const s = Math.round(secs);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

import { bytesText, clockText, rateText, secondsText } from '../../domain/units.js';
import { type Renderers, errorIfFailed, failedTail, plural } from './render.js';

// What `holdfast send` to a zfs destination reports. `dataset` is the source, `destination`
// the dataset it is received into, both as the config writes them.
export type SendEvent =
  | {
      readonly kind: 'sent';
      readonly dataset: string;
      readonly snapshot: string; // the snapshot the stream ends at
      readonly destination: string;
      readonly transfer: 'full' | 'incremental' | 'resume';
      readonly flag?: string; // -i or -I
      readonly from?: string; // an incremental's base
      readonly fromBookmark?: boolean; // `from` is the source's bookmark of the base (its snapshot is gone there)
      readonly bytes?: number; // what zfs receive counted
      readonly estimateBytes?: number; // zfs send -nvP, when the count is unknown
      readonly ms: number;
    }
  // A running transfer, once a log interval (a minute): what is known of bytes, rate and time left.
  | {
      readonly kind: 'progress';
      readonly dataset: string;
      readonly snapshot: string;
      readonly destination: string;
      readonly elapsedSec: number;
      readonly bytes?: number;
      readonly sizeBytes?: number;
      readonly percent?: number;
      readonly bytesPerSec?: number;
      readonly etaSec?: number;
    }
  | { readonly kind: 'up-to-date'; readonly dataset: string; readonly destination: string; readonly snapshot: string }
  | {
      readonly kind: 'pair-skipped';
      readonly dataset: string;
      readonly reason: 'excluded' | 'no-snapshots' | 'nothing-selected' | 'parent-not-sent';
      readonly why: string;
    }
  // A command run on the destination before a transfer (abandon a partial receive, --force).
  | {
      readonly kind: 'dest-step';
      readonly destination: string;
      readonly step: string;
      readonly why?: string; // abort-resume: why the partial receive is abandoned
      readonly snapshots?: number; // destroy-dest: how many
      readonly commands: readonly string[];
    }
  | { readonly kind: 'rollback'; readonly destination: string; readonly snapshot: string }
  | {
      readonly kind: 'retrying';
      readonly dataset: string;
      readonly message: string;
      readonly inSec: number;
      readonly attempt: number;
      readonly retries: number;
    }
  | {
      readonly kind: 'send-failed';
      readonly dataset: string;
      readonly destination: string;
      readonly attempts: number;
      readonly message: string;
    }
  // One line of a conflict's report (both sides, why, the commands that resolve it): the report
  // is free text, line by line; the fields say which pair and which conflict.
  | { readonly kind: 'conflict'; readonly dataset: string; readonly destination: string; readonly conflict: string; readonly line: string }
  // A planner's or the setup's caution about a job or pair (an ignored setting, a missing tool).
  | { readonly kind: 'send-note'; readonly about: string; readonly note: string }
  // The new base could not be held; the previous hold still protects the old one.
  | { readonly kind: 'pin-failed'; readonly job: string; readonly message: string }
  | { readonly kind: 'resume-unavailable'; readonly host: string; readonly flavor: string }
  | {
      readonly kind: 'send-summary';
      readonly dryRun: boolean;
      readonly streams: number;
      readonly bytes: number;
      readonly upToDate: number;
      readonly conflicts: number;
      readonly busy: number;
      readonly ms: number;
      readonly zfsProcesses: number;
      readonly cpuSec: number; // node's own CPU time: the stream never passes through it
      readonly failed: readonly string[];
    };

const TRANSFER = { full: ' (full)', resume: ' (resumed)' } as const;

export const SEND_EVENTS: Renderers<SendEvent> = {
  sent: {
    level: 'info',
    text: (e) => {
      const how = e.transfer === 'incremental' ? ` (${e.flag} from ${e.fromBookmark ? '#' : '@'}${e.from})` : TRANSFER[e.transfer];
      const size =
        e.bytes !== undefined ? bytesText(e.bytes) : e.estimateBytes !== undefined ? `~${bytesText(e.estimateBytes)}` : 'size unknown';
      const rate = e.bytes !== undefined && e.ms > 0 ? ` (${rateText((e.bytes * 1000) / e.ms)})` : '';
      return `sent ${e.dataset}@${e.snapshot} → ${e.destination}${how}: ${size} in ${secondsText(e.ms)}${rate}`;
    },
  },
  progress: {
    level: 'info',
    text: (e) => {
      const what = `sending ${e.dataset}@${e.snapshot} → ${e.destination}`;
      if (e.bytes === undefined) return `${what}: ${clockText(e.elapsedSec)} so far (install pv on this host to see bytes and rate)`;
      const size = e.sizeBytes ? ` of ~${bytesText(e.sizeBytes)}${e.percent !== undefined ? ` (${e.percent}%)` : ''}` : '';
      const rate = e.bytesPerSec !== undefined ? `, ${rateText(e.bytesPerSec)}` : '';
      const left = e.etaSec !== undefined ? `, about ${clockText(e.etaSec)} left` : '';
      return `${what}: ${bytesText(e.bytes)}${size} in ${clockText(e.elapsedSec)}${rate}${left}`;
    },
  },
  'up-to-date': { level: 'debug', text: (e) => `${e.dataset} → ${e.destination} is up to date (@${e.snapshot})` },
  'pair-skipped': { level: (e) => (e.reason === 'excluded' ? 'debug' : 'info'), text: (e) => `skip ${e.dataset}: ${e.why}` },
  'dest-step': {
    level: 'info',
    text: (e) => {
      const why =
        e.step === 'abort-resume'
          ? `abandoned a partial receive (${e.why})`
          : e.step === 'destroy-dest'
            ? `destroyed ${e.snapshots} destination snapshot(s) (--force)`
            : e.step;
      return `${e.destination}: ${why}: ${e.commands.join('; ')}`;
    },
  },
  rollback: {
    level: 'info',
    text: (e) => `${e.destination} changed since @${e.snapshot}; rolling it back to @${e.snapshot} (a replica is not written to)`,
  },
  retrying: {
    level: 'warn',
    text: (e) => `send ${e.dataset}: ${e.message}; retrying in ${e.inSec} s (retry ${e.attempt} of ${e.retries})`,
  },
  'send-failed': {
    level: 'error',
    text: (e) => `send ${e.dataset} → ${e.destination} failed${e.attempts > 1 ? ` after ${e.attempts} attempts` : ''}: ${e.message}`,
  },
  conflict: { level: 'error', text: (e) => e.line },
  'send-note': { level: 'warn', text: (e) => `${e.about}: ${e.note}` },
  'pin-failed': { level: 'warn', text: (e) => `${e.job}: ${e.message} (the base stays protected by the previous hold)` },
  'resume-unavailable': {
    level: 'warn',
    text: (e) => `resume is unavailable on ${e.host} (${e.flavor}: no zfs receive -s / send -t); an interrupted transfer starts over`,
  },
  'send-summary': {
    level: errorIfFailed,
    text: (e) => {
      const parts = [
        `${e.dryRun ? 'would send' : 'sent'} ${plural(e.streams, 'stream')}${e.dryRun ? '' : ` (${bytesText(e.bytes)})`}`,
        `${e.upToDate} up to date`,
        ...(e.conflicts ? [plural(e.conflicts, 'conflict')] : []),
        ...(e.busy ? [`${e.busy} busy (skipped)`] : []),
      ];
      return `send: ${parts.join(', ')} in ${secondsText(e.ms)} (${e.zfsProcesses} zfs processes, node CPU ${e.cpuSec.toFixed(2)} s); ${failedTail(e.failed)}`;
    },
  },
};

import { secondsText } from '../../domain/units.js';
import { type Renderers, errorIfFailed, failedTail, plural } from './render.js';

// What btrfs backups (backup, prune, decay, setup-backup) and btrfs-send report. `job` is the
// backup's name ([backup:NAME]); `pair` a btrfs-send job as "SOURCE → DEST".
export type BackupEvent =
  | {
      readonly kind: 'backup-taken';
      readonly job: string;
      readonly backup: string;
      readonly source: string;
      readonly dryRun: boolean;
      readonly ms: number; // rsync
      readonly files?: number; // changed, from rsync --stats
      readonly bytes?: number;
    }
  | { readonly kind: 'backup-failed'; readonly job: string; readonly stage: string; readonly message: string }
  | { readonly kind: 'backup-vanished'; readonly job: string; readonly message: string }
  | { readonly kind: 'workdir-created'; readonly job: string; readonly workdir: string; readonly from?: string; readonly dryRun: boolean }
  | {
      readonly kind: 'backup-deleted';
      readonly job: string;
      readonly rule: 'prune' | 'decay';
      readonly backup: string;
      readonly why: string;
    }
  | {
      readonly kind: 'retention-summary';
      readonly job: string;
      readonly rule: 'prune' | 'decay';
      readonly dryRun: boolean;
      readonly deleted: number;
      readonly kept: number;
      readonly failures: number;
    }
  | {
      readonly kind: 'backup-summary';
      readonly dryRun: boolean;
      readonly taken: number;
      readonly jobs: number;
      readonly deleted: number;
      readonly ms: number;
      readonly failed: readonly string[];
    }
  | { readonly kind: 'btrfs-sent'; readonly pair: string; readonly snapshot: string; readonly parent?: string; readonly ms: number }
  | { readonly kind: 'btrfs-up-to-date'; readonly pair: string; readonly snapshot?: string }
  | { readonly kind: 'receives-cleared'; readonly pair: string; readonly subvolumes: readonly string[]; readonly dryRun: boolean }
  | {
      readonly kind: 'btrfs-send-summary';
      readonly dryRun: boolean;
      readonly sent: number;
      readonly destinations: number;
      readonly ms: number;
      readonly failed: readonly string[];
    };

export const BACKUP_EVENTS: Renderers<BackupEvent> = {
  'backup-taken': {
    level: 'info',
    text: (e) => {
      const size = e.files !== undefined ? `, ${plural(e.files, 'file')} / ${e.bytes ?? 0} bytes changed` : '';
      return `backup ${e.job}: ${e.dryRun ? 'would take' : 'took'} ${e.backup} from ${e.source} (rsync ${secondsText(e.ms)}${size})`;
    },
  },
  'backup-failed': { level: 'error', text: (e) => `backup ${e.job}: ${e.message}; no backup taken, nothing pruned` },
  'backup-vanished': { level: 'warn', text: (e) => `backup ${e.job}: ${e.message}; the backup is taken anyway` },
  'workdir-created': {
    level: 'info',
    text: (e) =>
      `backup ${e.job}: ${e.dryRun ? 'would create' : 'created'} the working copy ${e.workdir} as ${e.from ? `a writable snapshot of ${e.from}` : 'an empty subvolume'}`,
  },
  'backup-deleted': { level: 'info', text: (e) => `${e.rule} ${e.job}: deleted ${e.backup} (${e.why})` },
  'retention-summary': {
    level: (e) => (e.failures ? 'error' : 'info'),
    text: (e) =>
      `${e.rule} ${e.job}: ${e.dryRun ? 'would delete' : 'deleted'} ${e.deleted}, kept ${e.kept}${e.failures ? `; ${e.failures} failed` : ''}`,
  },
  'backup-summary': {
    level: errorIfFailed,
    text: (e) =>
      `backup: ${e.dryRun ? 'would take' : 'took'} ${e.taken} of ${e.jobs}, ${e.dryRun ? 'would delete' : 'deleted'} ${e.deleted} old in ${secondsText(e.ms)}; ${failedTail(e.failed)}`,
  },
  'btrfs-sent': {
    level: 'info',
    text: (e) => `btrfs-send ${e.pair}: sent ${e.snapshot} (${e.parent ? `incremental from ${e.parent}` : 'full'}) in ${secondsText(e.ms)}`,
  },
  'btrfs-up-to-date': {
    level: 'info',
    text: (e) => `btrfs-send ${e.pair}: up to date${e.snapshot ? ` (${e.snapshot})` : ' (no snapshots yet)'}`,
  },
  'receives-cleared': {
    level: 'warn',
    text: (e) =>
      `btrfs-send ${e.pair}: ${e.dryRun ? 'would delete' : 'deleted'} unfinished receive${e.subvolumes.length > 1 ? 's' : ''} ${e.subvolumes.join(', ')}`,
  },
  'btrfs-send-summary': {
    level: errorIfFailed,
    text: (e) =>
      `btrfs-send: ${e.dryRun ? 'would send' : 'sent'} ${plural(e.sent, 'snapshot')} to ${plural(e.destinations, 'destination')} in ${secondsText(e.ms)}; ${failedTail(e.failed)}`,
  },
};

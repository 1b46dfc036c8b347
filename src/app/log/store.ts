import { bytesText, secondsText } from '../../domain/units.js';
import { type Renderers, errorIfFailed, failedTail, plural } from './render.js';

// What sends to, restores from and checks of an s3:// or file:// store report. `destination` is
// the store's URL (or, for a restore, the dataset received into); `snapshot` is dataset@snapshot.
export type StoreEvent =
  | {
      readonly kind: 'uploaded';
      readonly snapshot: string;
      readonly destination: string;
      readonly transfer: 'full' | 'incremental';
      readonly from?: string;
      readonly streamBytes?: number;
      readonly storedBytes?: number;
      readonly ms: number;
    }
  | { readonly kind: 'upload-failed'; readonly snapshot: string; readonly destination: string; readonly message: string }
  | { readonly kind: 'store-note'; readonly about: string; readonly note: string }
  // zfs hold/release of a store's base on the source failed.
  | { readonly kind: 'hold-failed'; readonly op: 'hold' | 'release'; readonly snapshot: string; readonly message: string }
  | {
      readonly kind: 'pruned';
      readonly destination: string;
      readonly dataset: string;
      readonly snapshots: number;
      readonly objects: number;
    }
  | {
      readonly kind: 'lifecycle';
      readonly destination: string;
      readonly outcome: 'updated' | 'unsupported';
      readonly prefix: string;
      readonly storageClass: string;
      readonly days: number;
    }
  | { readonly kind: 'source-unlisted'; readonly destination: string; readonly message: string }
  | { readonly kind: 'chain-verified'; readonly snapshot: string; readonly links: number }
  | {
      readonly kind: 'received';
      readonly snapshot: string;
      readonly destination: string;
      readonly transfer: string; // full, incremental
      readonly link: number;
      readonly links: number;
      readonly ms: number;
    }
  | { readonly kind: 'not-mounted'; readonly dataset: string; readonly message: string }
  | { readonly kind: 'restored'; readonly snapshot: string; readonly destination: string; readonly links: number }
  | { readonly kind: 'verify-summary'; readonly destination: string; readonly objects: number; readonly failures: number }
  | {
      readonly kind: 'store-summary';
      readonly dryRun: boolean;
      readonly uploads: number;
      readonly storedBytes: number;
      readonly stores: number;
      readonly deleted: number; // objects
      readonly failed: readonly string[];
    };

const orDash = (n: number | undefined): string => (n === undefined ? '-' : bytesText(n));

export const STORE_EVENTS: Renderers<StoreEvent> = {
  uploaded: {
    level: 'info',
    text: (e) =>
      `uploaded ${e.snapshot} → ${e.destination} (${e.transfer === 'full' ? 'full' : `incremental from @${e.from}`}): ${orDash(e.streamBytes)} stream, ${orDash(e.storedBytes)} stored in ${secondsText(e.ms)}`,
  },
  'upload-failed': {
    level: 'error',
    text: (e) => `upload ${e.snapshot}: ${e.message} (nothing of it is in ${e.destination}; the next run uploads it again)`,
  },
  'store-note': { level: 'info', text: (e) => `${e.about}: ${e.note}` },
  'hold-failed': { level: 'warn', text: (e) => `${e.op} ${e.snapshot}: ${e.message}` },
  pruned: {
    level: 'info',
    text: (e) => `pruned ${e.destination} ${e.dataset}: ${plural(e.snapshots, 'snapshot')}, ${plural(e.objects, 'object')}`,
  },
  lifecycle: {
    level: (e) => (e.outcome === 'unsupported' ? 'warn' : 'info'),
    text: (e) =>
      e.outcome === 'unsupported'
        ? `${e.destination}: the server does not accept lifecycle rules; s3_transition_days has no effect (set the rule on the server, or remove the key)`
        : `${e.destination}: lifecycle rule set: ${e.prefix}* → ${e.storageClass} after ${e.days} days`,
  },
  'source-unlisted': {
    level: 'warn',
    text: (e) => `status ${e.destination}: cannot list the source side (${e.message}); showing the store only`,
  },
  'chain-verified': { level: 'info', text: (e) => `verified ${plural(e.links, 'link')} of ${e.snapshot} before receiving` },
  received: {
    level: 'info',
    text: (e) => `received ${e.snapshot} (${e.transfer}, link ${e.link} of ${e.links}) into ${e.destination} in ${secondsText(e.ms)}`,
  },
  'not-mounted': { level: 'warn', text: (e) => `restore: ${e.dataset} is complete but not mounted: ${e.message}` },
  restored: {
    level: 'info',
    text: (e) => `restore: ${e.snapshot} is in ${e.destination} (${plural(e.links, 'link')} received, each checked)`,
  },
  'verify-summary': {
    level: (e) => (e.failures > 0 ? 'error' : 'info'),
    text: (e) =>
      `verify ${e.destination}: ${e.objects - e.failures} of ${e.objects} objects match their manifests${e.failures ? `, ${e.failures} do not` : ''}`,
  },
  'store-summary': {
    level: errorIfFailed,
    text: (e) =>
      `send: ${e.dryRun ? 'would upload' : 'uploaded'} ${plural(e.uploads, 'snapshot')}${e.dryRun ? '' : ` (${bytesText(e.storedBytes)} stored)`} to ${plural(e.stores, 'store')}, ${e.dryRun ? 'would delete' : 'deleted'} ${plural(e.deleted, 'object')}; ${failedTail(e.failed)}`,
  },
};

import type { PolicyFile } from '../../config/policy-file.js';
import { isStoreLocation } from '../../config/sections/dests.js';
import { type StoreTarget, storeTarget } from '../../config/sections/store.js';
import { type ZfsLocation, locationLabel, parseLocation } from '../../domain/location.js';
import type { AppContext } from '../context.js';
import { BadLocationError } from '../send/jobs.js';
import type { StoreLocation, StorePorts } from './ports.js';
import { type StoreSendOptions, type StoreSendReport, sendToStore } from './send.js';

// One source tree to one s3:// or file:// destination: the store branch of `holdfast send`.
export interface StoreJob {
  readonly section?: { readonly name: string; readonly line: number };
  readonly source: ZfsLocation;
  readonly dest: StoreLocation;
  readonly config: StoreTarget;
  readonly options: StoreSendOptions;
}

// Flags of `holdfast send` that apply to stores (z3's `backup --full` / `--snapshot NAME`).
export interface StoreFlags {
  readonly full?: boolean;
  readonly snapshot?: string;
  readonly exclude?: readonly string[];
  readonly raw?: boolean;
  readonly props?: boolean;
  readonly prune?: boolean; // false with --no-clean
  readonly bwlimit?: number; // --bwlimit: bytes per second over the destination's own; 0: none
}

// Every (section, store destination) pair of the policy file, in section order then dest order.
// The per-destination lists (exclude, raw_send, send_props) are indexed as for zfs destinations.
export function storeJobsFromConfig(file: PolicyFile, flags: StoreFlags = {}): StoreJob[] {
  return file.sends.flatMap((t) => {
    if (t.kind !== 'store') return [];
    const excludes = [...t.exclude, ...(flags.exclude ?? [])];
    const send = { raw: Boolean(t.raw || flags.raw), props: Boolean(t.props || flags.props) };
    return [
      {
        section: t.section,
        source: t.source,
        dest: t.dest,
        config: storeTarget(file, t.dest),
        options: options(flags, excludes, send, t.bwlimit),
      },
    ];
  });
}

// `holdfast send -s SRC -d s3://…`: undefined when -d is not a store (the zfs branch's job).
export function storeJobFromFlags(file: PolicyFile, source: string, dest: string, flags: StoreFlags = {}): StoreJob | undefined {
  const d = parseLocation(dest);
  if (!d.ok || !isStoreLocation(d.value)) return undefined;
  const s = parseLocation(source);
  if (!s.ok || s.value.kind !== 'zfs') throw new BadLocationError(`source (-s): ${s.ok ? `${source} is not a zfs dataset` : s.problem}`);
  const send = { raw: Boolean(flags.raw), props: Boolean(flags.props) };
  return { source: s.value, dest: d.value, config: storeTarget(file, d.value), options: options(flags, flags.exclude ?? [], send) };
}

function options(
  flags: StoreFlags,
  excludes: readonly string[],
  send: { raw: boolean; props: boolean },
  bwlimit?: number,
): StoreSendOptions {
  const limit = flags.bwlimit ?? bwlimit;
  return {
    ...(limit ? { bwlimit: limit } : {}),
    excludes,
    ...send,
    ...(flags.full ? { full: true } : {}),
    ...(flags.snapshot !== undefined ? { snapshot: flags.snapshot } : {}),
    ...(flags.prune === false ? { prune: false } : {}),
  };
}

// Run the store jobs one after the other; each reports, none throws.
export async function runStoreJobs(ctx: AppContext, ports: StorePorts, jobs: readonly StoreJob[]): Promise<StoreSendReport[]> {
  const out: StoreSendReport[] = [];
  for (const j of jobs) out.push(await sendToStore({ ctx, ports, source: j.source, dest: j.dest, config: j.config, options: j.options }));
  return out;
}

export const storeJobLabel = (j: StoreJob): string => `${locationLabel(j.source)} → ${j.config.url}`;

import { PolicyResolver } from '../../config/resolve.js';
import type { PolicyFile } from '../../config/policy-file.js';
import { type ZfsLocation, locationLabel, parseLocation } from '../../domain/location.js';
import type { AppContext } from '../context.js';
import { type StoreConfig, isStoreLocation, storeConfig } from './config.js';
import type { StoreLocation, StorePorts } from './ports.js';
import { type StoreSendOptions, type StoreSendReport, sendToStore } from './send.js';

// One source tree to one s3:// or file:// destination: the store branch of `holdfast send`.
export interface StoreJob {
  readonly section?: { readonly name: string; readonly line: number };
  readonly source: ZfsLocation;
  readonly dest: StoreLocation;
  readonly config: StoreConfig;
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
}

// Every (section, store destination) pair of the policy file, in section order then dest order.
// The per-destination lists (exclude, raw_send, send_props) are indexed as for zfs destinations.
export function storeJobsFromConfig(file: PolicyFile, flags: StoreFlags = {}): StoreJob[] {
  const r = new PolicyResolver(file);
  const jobs: StoreJob[] = [];
  for (const s of file.sections) {
    if (s.location?.kind !== 'zfs') continue;
    const dests = r.value<string[]>(s, 'dest')?.value ?? [];
    dests.forEach((text, i) => {
      const p = parseLocation(text);
      if (!p.ok || !isStoreLocation(p.value)) return;
      const at = <T>(key: string): T | undefined => r.value<T[]>(s, key)?.value?.[i];
      const excludes = [...(at<string[]>('exclude') ?? []), ...(flags.exclude ?? [])];
      const send = { raw: Boolean(at<boolean>('raw_send') || flags.raw), props: Boolean(at<boolean>('send_props') || flags.props) };
      jobs.push({
        section: { name: s.name, line: s.line },
        source: s.location as ZfsLocation,
        dest: p.value,
        config: storeConfig(file, p.value),
        options: options(flags, excludes, send),
      });
    });
  }
  return jobs;
}

// `holdfast send -s SRC -d s3://…`: undefined when -d is not a store (the zfs branch's job).
export function storeJobFromFlags(file: PolicyFile, source: string, dest: string, flags: StoreFlags = {}): StoreJob | undefined {
  const d = parseLocation(dest);
  if (!d.ok || !isStoreLocation(d.value)) return undefined;
  const s = parseLocation(source);
  if (!s.ok || s.value.kind !== 'zfs') throw new Error(`source (-s): ${s.ok ? `${source} is not a zfs dataset` : s.problem}`);
  const send = { raw: Boolean(flags.raw), props: Boolean(flags.props) };
  return { source: s.value, dest: d.value, config: storeConfig(file, d.value), options: options(flags, flags.exclude ?? [], send) };
}

function options(flags: StoreFlags, excludes: readonly string[], send: { raw: boolean; props: boolean }): StoreSendOptions {
  return {
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

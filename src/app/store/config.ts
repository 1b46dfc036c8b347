import type { PolicyFile } from '../../config/policy-file.js';
import { isStoreLocation } from '../../config/sections/dests.js';
import { UsageError } from '../../domain/errors.js';
import { type ZfsLocation, locationLabel, parseLocation } from '../../domain/location.js';
import type { StoreLocation } from './ports.js';

export class StoreLocationError extends UsageError {
  override name = 'StoreLocationError';
}

// A DEST argument of status/restore/verify: s3://… or file://… only.
export function parseStoreLocation(text: string): StoreLocation {
  const p = parseLocation(text);
  if (!p.ok) throw new StoreLocationError(p.problem);
  if (!isStoreLocation(p.value)) throw new StoreLocationError(`${text} is not a store; write s3://BUCKET/PREFIX or file:///PATH`);
  return p.value;
}

// Sources that list a store in their dest: where status finds the local side of each dataset.
export function sourcesOf(file: PolicyFile, loc: StoreLocation): { section: { name: string; line: number }; location: ZfsLocation }[] {
  const url = locationLabel(loc);
  const hits = file.sends.flatMap((t) => (t.kind === 'store' && locationLabel(t.dest) === url ? [t] : []));
  return hits
    .filter((t, i) => hits.findIndex((o) => o.section.name === t.section.name) === i)
    .map((t) => ({ section: t.section, location: t.source }));
}

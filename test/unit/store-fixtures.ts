import { createHash } from 'node:crypto';
import type { Manifest } from '../../src/domain/store/manifest.js';
import { streamKey } from '../../src/domain/store/names.js';

// A valid manifest for tests: guid = 1000 + createtxg, created = createtxg hours after 2026-01-01.
export function fakeManifest(
  dataset: string,
  snapshot: string,
  createtxg: number,
  o: { parent?: string; parentTxg?: number; bytes?: number } = {},
): Manifest {
  const kind = o.parent === undefined ? 'full' : 'incremental';
  const bytes = o.bytes ?? 1000 + createtxg;
  return {
    format: 'holdfast-manifest',
    version: 1,
    dataset,
    snapshot,
    guid: String(1000 + createtxg),
    createtxg,
    created: new Date(Date.parse('2026-01-01T00:00:00Z') + createtxg * 3600_000).toISOString(),
    kind,
    parent: o.parent === undefined ? null : { snapshot: o.parent, guid: String(1000 + (o.parentTxg ?? createtxg - 1)) },
    object: {
      key: streamKey(dataset, snapshot, kind, { compress: 'zstd', encrypted: false }),
      bytes,
      sha256: createHash('sha256').update(snapshot).digest('hex'),
      parts: 1,
    },
    stream: { bytes: bytes * 3, estimate: null },
    filters: { send: kind === 'full' ? [] : ['-i'], compress: 'zstd', encryption: null },
    uploaded: '2026-01-01T00:00:00.000Z',
    writer: 'holdfast test',
  };
}

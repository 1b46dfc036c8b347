import { createHash } from 'node:crypto';
import type { Endpoint } from '../endpoint.js';

// The hold tag that pins a replication base on both sides: one per destination, so several
// destinations of one source each keep their own base. ZFS limits tags to 255 bytes.
export function holdTag(dest: Endpoint, destRoot: string): string {
  const where = dest.kind === 'local' ? destRoot : `${tagHost(dest)}:${destRoot}`;
  const tag = `holdfast:${where}`;
  if (Buffer.byteLength(tag) <= 200) return tag;
  const digest = createHash('sha256').update(where).digest('hex').slice(0, 16);
  return `holdfast:${where.slice(0, 160)}~${digest}`;
}

// "user@host" or "user@host:port": the tags' form since the first release. Tags are data on
// both pools, so it never changes with the way logs print a host (that would orphan every hold).
function tagHost(e: Exclude<Endpoint, { kind: 'local' }>): string {
  const port = e.port && e.port !== 22 ? `:${e.port}` : '';
  return `${e.user ? `${e.user}@` : ''}${e.host}${port}`;
}

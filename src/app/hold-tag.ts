import { createHash } from 'node:crypto';
import type { Endpoint } from '../domain/endpoint.js';
import { tagPlace } from '../domain/replication/hold-tag.js';

// The hold tag that pins a replication base on both sides: one per destination, so several
// destinations of one source each keep their own base. ZFS limits tags to 255 bytes. Here, not
// in domain/, for the digest of an overlong name (node:crypto).
export function holdTag(dest: Endpoint, destRoot: string): string {
  const where = tagPlace(dest, destRoot);
  const tag = `holdfast:${where}`;
  if (Buffer.byteLength(tag) <= 200) return tag;
  const digest = createHash('sha256').update(where).digest('hex').slice(0, 16);
  return `holdfast:${where.slice(0, 160)}~${digest}`;
}

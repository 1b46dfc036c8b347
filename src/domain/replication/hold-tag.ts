import { createHash } from 'node:crypto';
import { type Endpoint, endpointLabel } from '../endpoint.js';

// The hold tag that pins a replication base on both sides: one per destination, so several
// destinations of one source each keep their own base. ZFS limits tags to 255 bytes.
export function holdTag(dest: Endpoint, destRoot: string): string {
  const where = dest.kind === 'local' ? destRoot : `${endpointLabel(dest)}:${destRoot}`;
  const tag = `holdfast:${where}`;
  if (Buffer.byteLength(tag) <= 200) return tag;
  const digest = createHash('sha256').update(where).digest('hex').slice(0, 16);
  return `holdfast:${where.slice(0, 160)}~${digest}`;
}

import { createHash } from 'node:crypto';
import type { Endpoint } from '../endpoint.js';

// The hold tag that pins a replication base on both sides: one per destination, so several
// destinations of one source each keep their own base. ZFS limits tags to 255 bytes.
export function holdTag(dest: Endpoint, destRoot: string): string {
  const where = tagPlace(dest, destRoot);
  const tag = `holdfast:${where}`;
  if (Buffer.byteLength(tag) <= 200) return tag;
  const digest = createHash('sha256').update(where).digest('hex').slice(0, 16);
  return `holdfast:${where.slice(0, 160)}~${digest}`;
}

// A destination as hold tags name it: "pool/x" or "user@host[:port]:pool/x", the form since the
// first release. Tags are data (on both pools, in btrfs holds files), so this form never
// follows the way logs print a place (that would orphan every existing hold).
export function tagPlace(dest: Endpoint, root: string): string {
  if (dest.kind === 'local') return root;
  const port = dest.port && dest.port !== 22 ? `:${dest.port}` : '';
  return `${dest.user ? `${dest.user}@` : ''}${dest.host}${port}:${root}`;
}

import type { Endpoint } from '../endpoint.js';

// A destination as hold tags name it (app/hold-tag.ts makes the tag): "pool/x" or
// "user@host[:port]:pool/x", the form since the first release. Tags are data (on both pools, in
// btrfs holds files), so this form never follows the way logs print a place (that would orphan
// every existing hold).
export function tagPlace(dest: Endpoint, root: string): string {
  if (dest.kind === 'local') return root;
  const port = dest.port && dest.port !== 22 ? `:${dest.port}` : '';
  return `${dest.user ? `${dest.user}@` : ''}${dest.host}${port}:${root}`;
}

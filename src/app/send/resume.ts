import type { HostState } from '../../domain/host-state.js';
import type { ResumeInfo } from '../../domain/replication/plan-pair.js';
import { messageOf } from '../failures.js';
import type { ReplicationOps, SendPorts } from './ports.js';

// Partial `zfs receive -s` states under a destination root (OpenZFS lists receive_resume_token),
// each checked against the source with `zfs send -nvP -t`: valid (resume it), stale (its
// snapshot is gone: abort it, pyznap never did), or foreign (another source's stream, or one
// holdfast cannot trace).
export async function resumeStates(
  dest: HostState,
  destRoot: string,
  sourceRoot: string,
  source: ReplicationOps | undefined, // undefined: the source cannot send -t (zfs-fuse)
  ports: Pick<SendPorts, 'classify'>,
): Promise<Map<string, ResumeInfo>> {
  const out = new Map<string, ResumeInfo>();
  for (const [name, ds] of dest.datasets) {
    const token = ds.props.receive_resume_token;
    if (!token || token === '-' || (name !== destRoot && !name.startsWith(`${destRoot}/`))) continue;
    const expected = sourceRoot + name.slice(destRoot.length);
    // holdfast starts a resumable receive only when the source can send -t: this one is not ours.
    if (!source) {
      out.set(name, { token, state: 'foreign' });
      continue;
    }
    const c = await source.checkToken(token);
    const [tds, tsnap] = c.toname ? c.toname.split('@') : [undefined, undefined];
    if (tds !== undefined && tds !== expected) out.set(name, { token, state: 'foreign', tokenFor: c.toname! });
    else if (c.ok && tsnap) out.set(name, { token, state: 'valid', to: tsnap });
    else {
      const why = c.error ? messageOf(c.error) : 'the token names no snapshot';
      const z = (c.error ?? {}) as { stderr?: unknown; exitCode?: unknown };
      const kind =
        typeof z.stderr === 'string' ? ports.classify(z.stderr, [], typeof z.exitCode === 'number' ? z.exitCode : 1).kind : 'other';
      if (kind === 'ssh') throw c.error ?? new Error(why);
      out.set(name, { token, state: 'stale', ...(tsnap ? { to: tsnap } : {}), why });
    }
  }
  return out;
}

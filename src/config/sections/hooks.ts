import type { ParsedSection } from '../parsed.js';
import type { PolicyResolver } from '../resolve.js';

// The default hook_timeout: long enough for a database to flush, short enough for cron.
export const DEFAULT_HOOK_TIMEOUT_SEC = 60;

// A pre and post command around one action (a section's snapshots, one destination's send),
// after inheritance. `onPreFailure`: what a failed pre command does to the action.
export interface Hooks<F extends string> {
  readonly section: string; // where the hooks apply, for messages
  readonly pre?: readonly string[];
  readonly post?: readonly string[];
  readonly timeoutSec: number;
  readonly onPreFailure: F;
}

export type SnapshotHooks = Hooks<'skip' | 'snapshot'>;
export type SendHooks = Hooks<'skip' | 'send'>;

// Undefined when the section has neither command.
export function snapshotHooks(r: PolicyResolver, s: ParsedSection): SnapshotHooks | undefined {
  const pre = r.value(s, 'pre_snapshot_command')?.value;
  const post = r.value(s, 'post_snapshot_command')?.value;
  if (!pre && !post) return undefined;
  const onPreFailure = r.value(s, 'pre_snapshot_failure')?.value ?? 'skip';
  return { section: s.name, ...(pre ? { pre } : {}), ...(post ? { post } : {}), timeoutSec: timeoutOf(r, s), onPreFailure };
}

export function sendHooks(r: PolicyResolver, s: ParsedSection): SendHooks | undefined {
  const pre = r.value(s, 'pre_send_command')?.value;
  const post = r.value(s, 'post_send_command')?.value;
  if (!pre && !post) return undefined;
  const onPreFailure = r.value(s, 'pre_send_failure')?.value ?? 'skip';
  return { section: s.name, ...(pre ? { pre } : {}), ...(post ? { post } : {}), timeoutSec: timeoutOf(r, s), onPreFailure };
}

const timeoutOf = (r: PolicyResolver, s: ParsedSection): number => r.value(s, 'hook_timeout')?.value ?? DEFAULT_HOOK_TIMEOUT_SEC;

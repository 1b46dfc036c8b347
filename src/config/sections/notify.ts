import type { NotifyOn } from '../keys/notify.js';
import type { PolicyResolver } from '../resolve.js';

export type { NotifyOn };

// One section's notification settings after inheritance ([DEFAULT]'s own included).
export interface NotifySettings {
  readonly section: string; // DEFAULT for [DEFAULT]
  readonly on: NotifyOn;
  readonly url?: string; // raw, placeholders unfilled
  readonly argv?: readonly string[];
}

// [DEFAULT] first, then every section in file order.
export function notifySettings(r: PolicyResolver): NotifySettings[] {
  return [r.file.defaults, ...r.file.sections].map((s) => {
    const url = r.value(s, 'notify_url')?.value;
    const argv = r.value(s, 'notify_command')?.value;
    return { section: s.name, on: r.value(s, 'notify_on')?.value ?? 'failure', ...(url ? { url } : {}), ...(argv ? { argv } : {}) };
  });
}

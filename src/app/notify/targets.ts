import type { PolicyFile, Section } from '../../config/policy-file.js';
import type { NotifyOn } from '../../config/sections/notify.js';
import { locationLabel } from '../../domain/location.js';
import type { SummaryFailure } from './summary.js';

// Where one notification goes, and which sections' failures it hears about.
export interface NotifyTarget {
  readonly kind: 'url' | 'command';
  readonly url?: string; // raw, placeholders unfilled
  readonly argv?: readonly string[];
  readonly on: NotifyOn;
  readonly sections: ReadonlySet<string>; // section names; DEFAULT included for [DEFAULT]'s own
}

// Every distinct (url or command, notify_on) in the file, with the sections that resolve to it.
// [DEFAULT]'s settings form a target even when every section overrides them, so run-wide
// failures (a lock held, a broken config) reach someone.
export function notifyTargets(file: PolicyFile): NotifyTarget[] {
  const found = new Map<string, { kind: 'url' | 'command'; url?: string; argv?: readonly string[]; on: NotifyOn; sections: Set<string> }>();
  for (const { section, on, url, argv } of file.notify) {
    const add = (key: string, t: { kind: 'url' | 'command'; url?: string; argv?: readonly string[] }) => {
      const k = `${key}\u0000${on}`;
      const e = found.get(k) ?? { ...t, on, sections: new Set<string>() };
      e.sections.add(section);
      found.set(k, e);
    };
    if (url) add(`url\u0000${url}`, { kind: 'url', url });
    if (argv) add(`cmd\u0000${JSON.stringify(argv)}`, { kind: 'command', argv });
  }
  return [...found.values()];
}

// The section a failure belongs to: the one it names, else the configured location whose label
// is the longest prefix of its target ("tank/data/x@snap" → [tank/data]). Undefined: run-wide.
export function sectionOfFailure(file: PolicyFile, f: SummaryFailure): string | undefined {
  if (f.section) return f.section;
  let best: Section | undefined;
  let bestLen = -1;
  for (const s of file.sections) {
    if (f.target === s.name) return s.name;
    if (!s.location) continue;
    const label = locationLabel(s.location);
    const under = f.target === label || f.target.startsWith(`${label}/`) || f.target.startsWith(`${label}@`);
    if (under && label.length > bestLen) [best, bestLen] = [s, label.length];
  }
  return best?.name;
}

// The failures one target hears about: its sections' own, plus every run-wide failure.
export function failuresFor(file: PolicyFile, t: NotifyTarget, failures: readonly SummaryFailure[]): SummaryFailure[] {
  return failures.filter((f) => {
    const s = sectionOfFailure(file, f);
    return s === undefined || t.sections.has(s) || (!sectionConfigured(file, s) && t.sections.has('DEFAULT'));
  });
}

const sectionConfigured = (file: PolicyFile, name: string): boolean => file.sections.some((s) => s.name === name);

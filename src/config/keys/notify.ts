import { type ParseResult, commentHint, key } from './spec.js';
import { splitShellWords } from './shell-words.js';

// When a target hears about a run.
export type NotifyOn = 'failure' | 'always';

// Placeholders a notify_url may hold, filled per run (healthchecks.io wants /<exit code>).
export const URL_PLACEHOLDERS = ['exit_code', 'status', 'command'] as const;

// A notify_url with its placeholders filled in.
export function fillUrl(url: string, values: Record<(typeof URL_PLACEHOLDERS)[number], string>): string {
  return url.replace(/\{(\w+)\}/g, (m, name: string) => (name in values ? encodeURIComponent(values[name as keyof typeof values]) : m));
}

function parseUrl(raw: string): ParseResult<string> {
  const v = raw.trim();
  const unknown = [...v.matchAll(/\{(\w*)\}/g)].map((m) => m[1]!).find((n) => !(URL_PLACEHOLDERS as readonly string[]).includes(n));
  if (unknown !== undefined)
    return { error: `unknown placeholder {${unknown}}; known: ${URL_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}` };
  let url: URL;
  try {
    url = new URL(fillUrl(v, { exit_code: '0', status: 'ok', command: 'snap' }));
  } catch {
    return { error: `"${v}" is not a URL; write e.g. https://hc-ping.com/UUID/{exit_code}${commentHint(raw)}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { error: `"${url.protocol}" URLs cannot be posted to; use http:// or https://` };
  return { value: v };
}

function parseOn(raw: string): ParseResult<NotifyOn> {
  const v = raw.trim().toLowerCase();
  if (v === 'failure' || v === 'always') return { value: v };
  return { error: `"${raw.trim()}" is not failure or always${commentHint(raw)}` };
}

function parseCommand(raw: string): ParseResult<readonly string[]> {
  const w = splitShellWords(raw.trim());
  return 'error' in w ? { error: w.error } : { value: w.argv };
}

// Notifications: per section (inherited down the dataset tree) or globally in [DEFAULT].
export const NOTIFY_KEYS = [
  key({
    name: 'notify_url',
    scope: 'tree',
    describe: 'POST a JSON run summary here (healthchecks.io, ntfy, Slack, any webhook); {exit_code} {status} {command} are filled in',
    parse: parseUrl,
  }),
  key({ name: 'notify_on', scope: 'tree', describe: 'when to notify: failure (default) or always', parse: parseOn }),
  key({
    name: 'notify_command',
    scope: 'tree',
    describe: 'run this command (no shell) with the JSON run summary on stdin, e.g. mail -s "holdfast" root',
    parse: parseCommand,
  }),
];

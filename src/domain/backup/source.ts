import { type SshEndpoint, placeLabel, remotePathLabel } from '../endpoint.js';

// Where a backup job reads from: a local directory, or a directory on a host reached over ssh.
export type BackupSource =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'remote'; readonly endpoint: SshEndpoint; readonly path: string };

const HINT = 'write an absolute path (/home), USER@HOST:PATH (as rsync) or ssh:PORT:USER@HOST:PATH';
const HOST = /^[A-Za-z0-9_.%-]+$|^\[[0-9A-Fa-f:.]+\]$/;
const USER = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

// Parse the `source` key. Paths are kept byte for byte (spaces, quotes, $ and ; included):
// they only ever travel in argv arrays, and rsync escapes the remote one itself.
export function parseBackupSource(raw: string): { value: BackupSource } | { error: string } {
  const text = raw.trim();
  if (text === '') return { error: `the source is empty; ${HINT}` };
  if (text.includes('\0') || text.includes('\n')) return { error: `the source contains a NUL or newline; ${HINT}` };
  if (text.startsWith('/')) return { value: { kind: 'local', path: trimSlashes(text) } };
  let port: number | undefined;
  let rest = text;
  const ssh = /^ssh:([^:]*):(.*)$/.exec(text);
  if (ssh) {
    if (ssh[1] !== '') {
      if (!/^\d+$/.test(ssh[1]!) || Number(ssh[1]) < 1 || Number(ssh[1]) > 65535)
        return { error: `"${text}": port "${ssh[1]}" is not a number from 1 to 65535; ${HINT}` };
      port = Number(ssh[1]);
    }
    rest = ssh[2]!;
  }
  if (/^rsync:\/\//.test(rest) || /^(?:[^@]*@)?[^:[\]]+::/.test(rest))
    return { error: `"${text}" names an rsync daemon, which holdfast does not use; ${HINT}` };
  const m = /^(?:([^@]*)@)?(\[[^\]]*\]|[^:@[\]]+):(.*)$/.exec(rest);
  if (!m) return { error: `"${text}" is neither an absolute path nor HOST:PATH; ${HINT}` };
  const [, user, rawHost, path] = m as unknown as [string, string | undefined, string, string];
  if (!HOST.test(rawHost) || rawHost.startsWith('-')) return { error: `"${text}": "${rawHost}" is not a host name; ${HINT}` };
  if (user !== undefined && !USER.test(user)) return { error: `"${text}": "${user}" is not a user name; ${HINT}` };
  if (path === '') return { error: `"${text}" has no path after the host; ${HINT}` };
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  const endpoint: SshEndpoint = { kind: 'ssh', host, ...(user ? { user } : {}), ...(port !== undefined ? { port } : {}) };
  return { value: { kind: 'remote', endpoint, path: trimSlashes(path) } };
}

// How a source reads in logs, as written: "/home", "root@host:/home" (rsync's form) or, with a
// port, "ssh:2222:root@host:/home".
export function sourceLabel(s: BackupSource): string {
  if (s.kind === 'local') return s.path;
  const e = s.endpoint;
  return e.port === undefined ? remotePathLabel(e, s.path) : placeLabel(e, s.path);
}

function trimSlashes(p: string): string {
  return p.replace(/\/+$/, '') || '/';
}

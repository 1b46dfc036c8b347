import { datasetNameProblem } from './dataset-name.js';
import { type Endpoint, LOCAL, type SshEndpoint, placeLabel } from './endpoint.js';

// A place a config section or a dest names.
export type Location = ZfsLocation | S3Location | FileLocation | BtrfsLocation | BackupLocation;

export interface ZfsLocation {
  readonly kind: 'zfs';
  readonly endpoint: Endpoint;
  readonly dataset: string;
}
export interface S3Location {
  readonly kind: 's3';
  readonly bucket: string;
  readonly prefix: string; // without leading or trailing "/"
}
export interface FileLocation {
  readonly kind: 'file';
  readonly path: string; // absolute
}

// A btrfs subvolume whose snapshots follow the same counts as a ZFS dataset's.
export interface BtrfsLocation {
  readonly kind: 'btrfs';
  readonly endpoint: Endpoint;
  readonly path: string; // absolute
}
// A snapshotbackup-style rsync job onto btrfs, by name.
export interface BackupLocation {
  readonly kind: 'backup';
  readonly name: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(problem: string): Parsed<T> => ({ ok: false, problem });

const SSH_HINT = 'write ssh:PORT:USER@HOST:DATASET, e.g. ssh:22:root@backup:tank/data';

// Parse a section name or a dest entry. Only a literal "ssh:" starts a remote location, so a
// pool named "sshpool" is local (pyznap misread it as remote).
export function parseLocation(text: string): Parsed<Location> {
  if (text.startsWith('ssh:')) return parseSsh(text);
  if (text.startsWith('s3://')) return parseS3(text);
  if (text.startsWith('file://')) return parseFile(text);
  if (text.startsWith('btrfs:')) return parseBtrfs(text);
  if (text.startsWith('backup:')) return parseBackup(text);
  const problem = datasetNameProblem(text);
  return problem ? bad(`"${text}" is not a dataset name: ${problem}`) : ok({ kind: 'zfs', endpoint: LOCAL, dataset: text });
}

function parseSsh(text: string): Parsed<Location> {
  const m = /^ssh:([^:]*):(.*)$/.exec(text);
  if (!m) return bad(`"${text}" is not an ssh location; ${SSH_HINT}`);
  const [, portText, rest] = m as unknown as [string, string, string];
  let port: number | undefined;
  if (portText !== '') {
    if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return bad(`"${text}": port "${portText}" is not a number from 1 to 65535; ${SSH_HINT}`);
    }
    port = Number(portText);
  }
  // USER@HOST:DATASET, with [IPv6] hosts allowed (pyznap could not express them).
  const hm = /^(?:([^@:]*)@)?(\[[0-9A-Fa-f:.]+\]|[^:@\[\]]+):(.*)$/.exec(rest);
  if (!hm) return bad(`"${text}" has no USER@HOST:DATASET part; ${SSH_HINT}`);
  const [, user, rawHost, dataset] = hm as unknown as [string, string | undefined, string, string];
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  if (!/^[A-Za-z0-9_.:%-]+$/.test(host) || host.startsWith('-')) return bad(`"${text}": "${host}" is not a host name`);
  if (user !== undefined && !/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/.test(user)) return bad(`"${text}": "${user}" is not a user name`);
  const problem = datasetNameProblem(dataset);
  if (problem) return bad(`"${text}": "${dataset}" is not a dataset name: ${problem}`);
  const endpoint: SshEndpoint = { kind: 'ssh', host, ...(user ? { user } : {}), ...(port !== undefined ? { port } : {}) };
  return ok({ kind: 'zfs', endpoint, dataset });
}

function parseS3(text: string): Parsed<Location> {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text);
  if (!m) return bad(`"${text}" is not an s3 location; write s3://BUCKET/PREFIX (bucket: 3-63 lower-case letters, digits, . and -)`);
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return ok({ kind: 's3', bucket: m[1]!, prefix });
}

function parseFile(text: string): Parsed<Location> {
  const path = text.slice('file://'.length);
  if (!path.startsWith('/')) return bad(`"${text}" is not a file location; write file:///ABSOLUTE/PATH`);
  const clean = path.replace(/\/+$/, '') || '/';
  return ok({ kind: 'file', path: clean });
}

function parseBtrfs(text: string): Parsed<Location> {
  const path = text.slice('btrfs:'.length);
  if (path.startsWith('ssh:')) return parseBtrfsSsh(text, path);
  if (!path.startsWith('/') || path.includes('\0'))
    return bad(`"${text}" is not a btrfs location; write btrfs:/ABSOLUTE/PATH/OF/SUBVOLUME`);
  return ok({ kind: 'btrfs', endpoint: LOCAL, path: path.replace(/\/+$/, '') || '/' });
}

// btrfs:ssh:PORT:USER@HOST:/PATH, a btrfs directory on another host (a btrfs send destination).
function parseBtrfsSsh(text: string, rest: string): Parsed<Location> {
  const hint = 'write btrfs:ssh:PORT:USER@HOST:/ABSOLUTE/PATH, e.g. btrfs:ssh:22:root@backup:/mnt/backup/home';
  const m = /^ssh:([^:]*):(?:([^@:]*)@)?(\[[0-9A-Fa-f:.]+\]|[^:@[\]]+):(\/.*)$/.exec(rest);
  if (!m || m[4]!.includes('\0')) return bad(`"${text}" is not a btrfs location; ${hint}`);
  const [, portText, user, rawHost, path] = m as unknown as [string, string, string | undefined, string, string];
  if (portText !== '' && (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535))
    return bad(`"${text}": port "${portText}" is not a number from 1 to 65535; ${hint}`);
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  if (!/^[A-Za-z0-9_.:%-]+$/.test(host) || host.startsWith('-')) return bad(`"${text}": "${host}" is not a host name`);
  if (user !== undefined && !/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/.test(user)) return bad(`"${text}": "${user}" is not a user name`);
  const endpoint: SshEndpoint = { kind: 'ssh', host, ...(user ? { user } : {}), ...(portText !== '' ? { port: Number(portText) } : {}) };
  return ok({ kind: 'btrfs', endpoint, path: path.replace(/\/+$/, '') || '/' });
}

function parseBackup(text: string): Parsed<Location> {
  const name = text.slice('backup:'.length);
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) return bad(`"${text}": a backup name is letters, digits and _ . - (e.g. backup:home)`);
  return ok({ kind: 'backup', name });
}

// How a location reads in logs and messages: as written, "ssh:22:root@nas:tank/data",
// "tank/data", "s3://b/p", "btrfs:/mnt/data".
export function locationLabel(l: Location): string {
  switch (l.kind) {
    case 'zfs':
      return placeLabel(l.endpoint, l.dataset);
    case 's3':
      return `s3://${l.bucket}${l.prefix ? `/${l.prefix}` : ''}`;
    case 'file':
      return `file://${l.path}`;
    case 'btrfs':
      return `btrfs:${placeLabel(l.endpoint, l.path)}`;
    case 'backup':
      return `backup:${l.name}`;
  }
}

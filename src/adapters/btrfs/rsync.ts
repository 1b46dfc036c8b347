import { homedir } from 'node:os';
import type { SyncRequest, SyncResult, SyncStats, Syncer } from '../../app/backup/ports.js';
import type { BackupSource } from '../../domain/backup/source.js';
import { remotePathLabel } from '../../domain/endpoint.js';
import { classifyRsync } from './rsync-errors.js';
import { start } from '../exec/process.js';
import { StoppedError } from '../exec/stop-child.js';

// The copy: `rsync -a --inplace --delete` into the working subvolume. --inplace rewrites only
// changed blocks, so consecutive btrfs snapshots share everything else; --numeric-ids keeps
// owners exact for a restore; --stats gives the summary the log line reports.
export function rsyncArgv(req: SyncRequest): string[] {
  const remote = req.source.kind === 'remote';
  return [
    'rsync',
    '-a',
    '--inplace',
    '--delete',
    '--delete-excluded',
    '--numeric-ids',
    '--stats',
    ...(req.checksum ? ['--checksum'] : []),
    ...(remote ? ['--compress', '-e', rsyncShell(req)] : []),
    ...req.excludes.map((e) => `--exclude=${e}`),
    ...req.extra,
    ...(req.dryRun ? ['--dry-run'] : []),
    '--',
    sourceArg(req.source),
    `${req.target}/`,
  ];
}

// The trailing "/" copies the directory's contents. A remote path travels as one argument:
// rsync ≥ 3.2.4 escapes it for the remote shell itself.
export function sourceArg(s: BackupSource): string {
  const dir = s.path === '/' ? '/' : `${s.path}/`;
  if (s.kind === 'local') return dir;
  return remotePathLabel(s.endpoint, dir);
}

// The `-e` command. rsync splits it itself: single or double quotes group, a doubled quote
// inside quotes is a literal one, and a backslash is an ordinary character.
export function rsyncShell(req: Pick<SyncRequest, 'source' | 'identity' | 'sshOptions'>): string {
  const port = req.source.kind === 'remote' ? req.source.endpoint.port : undefined;
  const id = req.identity ? expandHome(req.identity) : undefined;
  const argv = [
    'ssh',
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=10',
    '-o',
    'ServerAliveInterval=30',
    ...(port !== undefined ? ['-p', String(port)] : []),
    ...(id ? ['-i', id, '-o', 'IdentitiesOnly=yes'] : []),
    ...req.sshOptions.flatMap((o) => ['-o', o]),
  ];
  return argv.map(rsyncQuote).join(' ');
}

export function rsyncQuote(arg: string): string {
  return arg !== '' && /^[A-Za-z0-9_\-+=.,:/@%]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "''")}'`;
}

// Parse `--stats`: files transferred and their size (thousands separators dropped).
export function parseStats(stdout: string): SyncStats {
  const num = (re: RegExp): number | undefined => {
    const m = re.exec(stdout);
    return m ? Number(m[1]!.replace(/[,.']/g, '')) : undefined;
  };
  const files = num(/Number of regular files transferred:\s*([\d,.']+)/);
  const bytes = num(/Total transferred file size:\s*([\d,.']+)/);
  return { ...(files !== undefined ? { files } : {}), ...(bytes !== undefined ? { bytes } : {}) };
}

// Runs rsync as a child. An interrupted run (`stop`: SIGINT, SIGTERM, SIGHUP reach holdfast)
// stops the copy too (and no backup is taken) instead of leaving it running.
export class RsyncSyncer implements Syncer {
  constructor(private readonly stop?: AbortSignal) {}

  argv(req: SyncRequest): string[] {
    return rsyncArgv(req);
  }

  async sync(req: SyncRequest): Promise<SyncResult> {
    const argv = rsyncArgv(req);
    const t0 = performance.now();
    if (this.stop?.aborted) return { kind: 'failed', error: new StoppedError('rsync'), ms: 0 };
    const child = start(argv, { stdio: ['ignore', 'pipe', 'pipe'], stop: this.stop });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (b: Buffer) => (stdout = (stdout + b.toString()).slice(-65_536)));
    child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-65_536)));
    const exit = await child.exit;
    const ms = Math.round(performance.now() - t0);
    const outcome = classifyRsync(exit.exitCode, exit.signal, exit.startError ? `${stderr}${exit.startError}\n` : stderr);
    if (outcome.kind === 'failed') return { kind: 'failed', error: outcome.error, ms };
    if (outcome.kind === 'vanished') return { kind: 'vanished', warning: outcome.warning, stats: parseStats(stdout), ms };
    return { kind: 'ok', stats: parseStats(stdout), ms };
  }
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

import type { BatchOutcome, ZfsCommandHost } from '../../app/ports.js';
import type { FailureKind } from '../../app/send/ports.js';
import type { Endpoint, SshEndpoint } from '../../domain/endpoint.js';
import type { Transfer } from '../../domain/replication/types.js';
import type { StreamFlag, ZfsCommand, ZfsHoldCommand, ZfsSend, ZfsSingle } from '../../domain/zfs-command.js';
import type { CommandRunner, RunResult } from '../exec/runner.js';
import { type Printable, printable } from '../exec/printable.js';
import { zfsArgv, zfsGet, zfsListBookmarks, zfsSendEstimate } from './commands.js';
import type { SnapRef } from '../../domain/replication/types.js';
import { parseBookmarkList } from './parse-get.js';
import {
  HoldTagExistsError,
  NoSuchHoldTagError,
  PermissionDeniedError,
  REPLICATION_ERRORS,
  type ZfsError,
  classifyZfsError,
  failureKindOf,
} from './errors.js';

export interface SendFlags {
  readonly raw: boolean; // -w: encrypted datasets stay encrypted (OpenZFS ≥ 0.8)
  readonly props: boolean; // -p: only when asked (pyznap never sent properties)
  readonly stream?: readonly StreamFlag[]; // -L -e -c (OpenZFS on both ends; never with -w)
}

export interface ReceiveFlags {
  readonly mount: boolean; // without -u (pyznap always used -u: issues #43, #79)
  readonly resumable: boolean; // -s (OpenZFS)
  readonly force: boolean; // -F: only for a rollback-free base or when the user forced it
}

// The `zfs send` of one transfer step of `source`, as data.
export function sendOf(step: Transfer, source: string, f: SendFlags): ZfsSend {
  if (step.kind === 'resume') return { op: 'send-resume', token: step.token };
  const from =
    step.kind === 'incremental'
      ? step.bookmark
        ? { from: { snapshot: `${source}#${step.from}`, intermediates: false } } // zfs send has no -I from a bookmark
        : { from: { snapshot: `${source}@${step.from}`, intermediates: step.flag === '-I' } }
      : {};
  const stream = !f.raw && f.stream && f.stream.length > 0 ? { stream: f.stream } : {};
  return {
    op: 'send',
    snapshot: `${source}@${step.kind === 'full' ? step.snapshot : step.to}`,
    ...from,
    raw: f.raw,
    props: f.props,
    ...stream,
  };
}

// `zfs send` for one transfer step of `source`.
export function sendArgv(step: Transfer, source: string, f: SendFlags): string[] {
  return zfsArgv(sendOf(step, source, f));
}

// `zfs receive` into `dest`; -v prints the stream size, which the log line reports.
export function receiveArgv(dest: string, f: ReceiveFlags): string[] {
  return zfsArgv({ op: 'receive', dataset: dest, verbose: true, ...f });
}

// `zfs send -nvP …`: the size estimate (OpenZFS only).
export function estimateArgv(step: Transfer, source: string, f: SendFlags): string[] {
  return zfsSendEstimate(sendOf(step, source, f));
}

export function parseEstimate(stdout: string): number | undefined {
  const m = /^size\s+(\d+)\s*$/m.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

const UNITS: Record<string, number> = { B: 0, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };

// The bytes `zfs receive -v` reports ("received 1.01MB stream in 1 seconds …"), summed over
// the snapshots of a -I stream. Three significant digits: good enough for a log line.
export function parseReceived(stdout: string): number | undefined {
  let total: number | undefined;
  for (const m of stdout.matchAll(/^received ([\d.]+)([BKMGTPE])B? stream/gm)) {
    total = (total ?? 0) + Math.round(Number(m[1]) * 1024 ** UNITS[m[2]!]!);
  }
  return total;
}

// What `zfs send -nvP -t TOKEN` says about a partial receive's stream (printed even on failure).
export function parseToken(stdout: string): { toname?: string; toguid?: string } {
  const toname = /^\s*toname = (.+)$/m.exec(stdout)?.[1]?.trim();
  const hex = /^\s*toguid = (0x[0-9a-f]+)$/im.exec(stdout)?.[1];
  return { ...(toname ? { toname } : {}), ...(hex ? { toguid: BigInt(hex).toString() } : {}) };
}

// The most specific typed error for failed replication commands and stages.
export function classifyReplicationError(stderr: string, argv: readonly string[], exitCode: number, sshFix?: string): ZfsError {
  const first = stderr
    .split('\n')
    .find((l) => l.trim() !== '' && !/^warning: cannot send .*(?:Broken pipe|Connection reset)/.test(l))
    ?.trim();
  for (const C of REPLICATION_ERRORS) {
    if (C.pattern.test(stderr)) return new C(first ?? `${argv.join(' ')} exited ${exitCode}`, stderr, argv, exitCode);
  }
  return classifyZfsError(stderr, argv, exitCode, sshFix);
}

// The send port's `classify`: a failed command's or stage's kind and message, with ssh's fix
// when ssh (exit 255) refused the host key of `via` (`sshFix`: the runner's advice).
export function replicationFailure(
  sshFix: (stderr: string, e: SshEndpoint) => string | undefined,
): (stderr: string, argv: readonly string[], exitCode: number, via?: Endpoint) => { kind: FailureKind; message: string; fix?: string } {
  return (stderr, argv, exitCode, via) => {
    const fix = via?.kind === 'ssh' && exitCode === 255 ? sshFix(stderr, via) : undefined;
    const e = classifyReplicationError(stderr, argv, exitCode, fix);
    const permission = e instanceof PermissionDeniedError ? PermissionDeniedError.hint : undefined;
    return { kind: failureKindOf(e), message: e.message, ...(fix || permission ? { fix: fix ?? permission } : {}) };
  };
}

// Single zfs commands on one host, as data (domain/zfs-command.ts): what print() shows is the
// argv run() starts. Used by replication (send) and by the stores (holds, the restore's mount).
export class ReplicationZfs implements ZfsCommandHost {
  constructor(
    readonly endpoint: Endpoint,
    private readonly runner: CommandRunner,
    private readonly printOn: Printable = printable,
  ) {}

  print(c: ZfsCommand): string {
    return this.printOn(this.endpoint, zfsArgv(c));
  }

  // A failed command throws its typed error. Mounting a mounted dataset is done already.
  async run(c: ZfsSingle): Promise<void> {
    const argv = zfsArgv(c);
    const r = await this.exec(argv, true);
    if (r.exitCode !== 0 && !(c.op === 'mount' && /already mounted/.test(r.stderr)))
      throw classifyReplicationError(r.stderr, argv, r.exitCode, r.sshFix);
  }

  // Best effort: false when zfs refused it (what comes next says whether that mattered).
  async tryRun(c: ZfsSingle): Promise<boolean> {
    return (await this.exec(zfsArgv(c), true)).exitCode === 0;
  }

  // Hold or release a tag on every snapshot in one call. zfs-fuse applies the others when one
  // fails; OpenZFS refuses the whole call, so a failed batch is retried one by one. An existing
  // tag counts as held, a missing one as released (zfs-fuse cannot list tags).
  batch(c: ZfsHoldCommand): Promise<BatchOutcome> {
    return this.batchOf(c, c.op === 'hold' ? HoldTagExistsError : NoSuchHoldTagError);
  }

  // Properties of the named datasets (no -r); a name that does not exist is left out.
  async inspect(datasets: readonly string[], props: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    if (datasets.length === 0) return out;
    const argv = zfsGet(props, datasets, false);
    const r = await this.exec(argv, false);
    // Only "does not exist" lines may come with a failure: anything else (ssh, zfs) is an error.
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    const missingOnly = lines.length > 0 && lines.every((l) => /^cannot open '[^']+': dataset does not exist/.test(l));
    if (r.exitCode !== 0 && !missingOnly) throw classifyReplicationError(r.stderr, argv, r.exitCode);
    for (const line of r.stdout.split('\n')) {
      const [name, prop, value] = line.split('\t');
      if (name === undefined || prop === undefined || value === undefined) continue;
      out.set(name, { ...out.get(name), [prop]: value });
    }
    return out;
  }

  // Bookmarks under roots by dataset, oldest first, as SnapRefs named without "#". A root that
  // does not exist has none.
  async bookmarks(roots: readonly string[]): Promise<Map<string, SnapRef[]>> {
    if (roots.length === 0) return new Map();
    const argv = zfsListBookmarks(roots);
    const r = await this.exec(argv, false);
    if (r.exitCode !== 0 && !/dataset does not exist/.test(r.stderr)) throw classifyReplicationError(r.stderr, argv, r.exitCode, r.sshFix);
    return parseBookmarkList(r.stdout);
  }

  async estimate(argv: readonly string[]): Promise<number | undefined> {
    const r = await this.exec([...argv], false);
    return r.exitCode === 0 ? parseEstimate(r.stdout) : undefined;
  }

  // Check a resume token on the source: where its stream ends, and whether it can still be sent.
  async checkToken(token: string): Promise<{ ok: boolean; toname?: string; toguid?: string; error?: ZfsError }> {
    const argv = zfsSendEstimate({ op: 'send-resume', token });
    const r = await this.exec(argv, false);
    const parsed = parseToken(r.stdout);
    if (r.exitCode === 0) return { ok: true, ...parsed };
    return { ok: false, ...parsed, error: classifyReplicationError(r.stderr, argv, r.exitCode, r.sshFix) };
  }

  // One call for all targets. Errors that mean "already so" name their snapshot on their own
  // line; zfs-fuse applies the rest anyway, OpenZFS applies nothing, so a second call without
  // the named ones settles both. Anything else is retried one by one to find who failed.
  private async batchOf(c: ZfsHoldCommand, fine: { pattern: RegExp }): Promise<BatchOutcome> {
    const targets = c.snapshots;
    if (targets.length === 0) return { ok: [], failed: [] };
    let rest = [...targets];
    for (let round = 0; round < 2 && rest.length > 0; round++) {
      const r = await this.exec(zfsArgv({ ...c, snapshots: rest }), true);
      if (r.exitCode === 0) return { ok: targets, failed: [] };
      const named = alreadySo(r.stderr, fine.pattern);
      if (!named) break;
      rest = rest.filter((t) => !named.has(t));
      if (round === 1 || rest.length === 0) return { ok: targets, failed: [] };
    }
    const ok: string[] = [];
    const failed: { target: string; error: Error }[] = [];
    for (const t of targets) {
      const argv = zfsArgv({ ...c, snapshots: [t] });
      const one = await this.exec(argv, true);
      const error = one.exitCode === 0 ? undefined : classifyReplicationError(one.stderr, argv, one.exitCode, one.sshFix);
      if (!error || fine.pattern.test(one.stderr)) ok.push(t);
      else failed.push({ target: t, error });
    }
    return { ok, failed };
  }

  private exec(argv: string[], mutates: boolean): Promise<RunResult> {
    return this.runner.run({ argv, endpoint: this.endpoint, mutates });
  }
}

// The snapshots named by "already so" errors, when every stderr line is one; else undefined.
function alreadySo(stderr: string, pattern: RegExp): Set<string> | undefined {
  const named = new Set<string>();
  for (const line of stderr.split('\n')) {
    if (line.trim() === '') continue;
    const m = pattern.exec(line);
    if (!m?.[1]) return undefined;
    named.add(m[1]);
  }
  return named.size > 0 ? named : undefined;
}

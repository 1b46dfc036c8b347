import type { Endpoint } from '../../domain/endpoint.js';
import type { SnapRef, Transfer } from '../../domain/replication/types.js';
import type { HostState } from '../../domain/host-state.js';
import type { StreamFlag } from '../../domain/zfs-command.js';
import type { ZfsCapabilities, ZfsCommandHost } from '../ports.js';

// What `holdfast send` needs from the outside world, beyond the SnapshotHost of the snap cycle.
// The adapters (pipeline runner, replication zfs commands, tool probe, flock) implement it;
// cli/commands/send.ts wires them.

export type StageRole = 'send' | 'receive' | 'compress' | 'decompress' | 'buffer' | 'limit' | 'progress' | 'other';

export interface StageSpec {
  readonly argv: readonly string[];
  readonly endpoint: Endpoint;
  readonly role: StageRole;
}

export interface PipelineSpec {
  readonly stages: readonly StageSpec[];
}

export interface StageOutcome {
  readonly name: string;
  readonly role: StageRole | 'ssh';
  readonly endpoint: Endpoint;
  readonly index?: number;
  readonly code: number | undefined;
  readonly killedByUs: boolean;
  readonly stderr: string;
}

export interface PipelineOutcome {
  readonly ok: boolean;
  readonly ms: number;
  readonly units: readonly StageOutcome[];
  readonly failed?: StageOutcome;
  readonly stdout: string;
}

// Progress hooks for one transfer (pv -n lines, or the pids for the built-in meter).
export interface TransferWatch {
  readonly watchStderr?: number;
  readonly onStderrLine?: (stageIndex: number, line: string) => void;
  readonly onStart?: (procs: readonly { stageIndex: number; pid: number | undefined; role: string; local: boolean }[]) => void;
}

export interface HostToolsInfo {
  readonly has: ReadonlySet<string>;
  readonly receives: readonly string[]; // command lines of running `zfs receive` processes
}

export interface CompressorSpec {
  readonly name: string;
  readonly compress: readonly string[];
  readonly decompress: readonly string[];
}

// Why a zfs command or stage failed, as far as retrying and reporting care.
export type FailureKind = 'dest-modified' | 'out-of-space' | 'corrupt' | 'base-mismatch' | 'not-found' | 'stale-token' | 'ssh' | 'other';

// A host's zfs as replication uses it: single commands as data (printed as they run), and the
// read-only calls planning needs.
export interface ReplicationOps extends ZfsCommandHost {
  inspect(datasets: readonly string[], props: readonly string[]): Promise<ReadonlyMap<string, Readonly<Record<string, string>>>>; // missing ones left out
  estimate(argv: readonly string[]): Promise<number | undefined>;
  checkToken(token: string): Promise<{ ok: boolean; toname?: string; toguid?: string; error?: Error }>;
  bookmarks(roots: readonly string[]): Promise<ReadonlyMap<string, readonly SnapRef[]>>; // OpenZFS; by dataset, oldest first
}

// What shapes a `zfs send`: -w, -p, and the stream features both ends support.
export interface SendShape {
  readonly raw: boolean;
  readonly props: boolean;
  readonly stream?: readonly StreamFlag[];
}

// The zfs argv of a transfer's two ends (adapters/zfs/replication.ts).
export interface TransferArgv {
  send(step: Transfer, source: string, f: SendShape): string[];
  receive(dest: string, f: { mount: boolean; resumable: boolean; force: boolean }): string[];
  estimate(step: Transfer, source: string, f: SendShape): string[];
  received(stdout: string): number | undefined; // bytes `zfs receive -v` reported
}

// A host's zfs as send uses it: the same ZfsHost as the snap cycle, with its zfs capabilities.
export interface ZfsReplicaHost {
  capabilities(): Promise<ZfsCapabilities>;
  listState(roots: readonly string[], extraProps?: readonly string[]): Promise<HostState>;
  holdTags(snapshots: readonly string[]): Promise<ReadonlyMap<string, readonly string[]>>;
}

export interface SendPorts {
  readonly argv: TransferArgv;
  zfs(e: Endpoint): ZfsReplicaHost;
  replication(e: Endpoint): ReplicationOps;
  tools(e: Endpoint): Promise<HostToolsInfo>;
  compressor(name: string): CompressorSpec | undefined;
  runPipeline(p: PipelineSpec, watch: TransferWatch): Promise<PipelineOutcome>;
  printPipeline(p: PipelineSpec): string;
  // A per-destination lock: held by this run until released, or busy (who holds it).
  lock(name: string): Promise<{ release(): void } | { busy: string }>;
  // A failed command's or stage's kind; `fix` when ssh refused the host key of `via`.
  classify(stderr: string, argv: readonly string[], exitCode: number, via?: Endpoint): { kind: FailureKind; message: string; fix?: string };
  sleep(ms: number): Promise<void>;
  spawned(): ReadonlyMap<string, number>; // program → processes spawned this run
}

import type { Endpoint } from '../../domain/endpoint.js';
import type { BatchOutcome, Clock, Logger } from '../ports.js';
import { HoldfastError } from '../../domain/errors.js';

// A snapshot directory shared by two subvolumes would mix their snapshots: a config error
// (app/btrfs/layout.ts throws it, the btrfs host reports it per subvolume).
export class SnapshotDirClashError extends HoldfastError {
  override name = 'SnapshotDirClashError';
}

// A subvolume directly in a directory, with what replication needs to know about it.
export interface ReplicaSubvolume {
  readonly name: string;
  readonly uuid: string;
  readonly receivedUuid?: string;
  readonly order: number;
  readonly readonly: boolean;
}

// One `btrfs send [-p parent] snapshot | [compress] | … btrfs receive dir`.
export interface BtrfsTransfer {
  readonly source: { readonly endpoint: Endpoint; readonly path: string };
  readonly parent?: string; // path of the common snapshot on the source side
  readonly dest: { readonly endpoint: Endpoint; readonly dir: string };
  readonly compress?: string; // a compressor name (tools.ts), only across a network
}

export type TransferOutcome = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly message: string };

// What btrfs replication needs from the hosts on both ends.
export interface BtrfsReplicaPort {
  list(e: Endpoint, dir: string): Promise<readonly ReplicaSubvolume[] | undefined>; // undefined: no such directory
  mkdirp(e: Endpoint, dir: string): Promise<void>;
  delete(e: Endpoint, paths: readonly string[]): Promise<BatchOutcome>;
  transfer(t: BtrfsTransfer): Promise<TransferOutcome>;
  describe(t: BtrfsTransfer): string; // the pipeline as one copy-pasteable shell line
  // The argv mkdirp() and delete() run, for plans and --dry-run.
  readonly argv: {
    mkdirp(dir: string): readonly string[];
    delete(paths: readonly string[]): readonly string[];
  };
  // Hold `snapshot` in `dir` for a destination (`tag`), releasing the tag's previous snapshot.
  hold(e: Endpoint, dir: string, tag: string, snapshot: string): Promise<void>;
}

export interface BtrfsSendDeps {
  readonly log: Logger;
  readonly clock: Clock;
  readonly dryRun: boolean;
  readonly replica: BtrfsReplicaPort;
  readonly snapshotDirOf: (subvolume: string) => string;
  readonly printable: (e: Endpoint, argv: readonly string[]) => string;
}

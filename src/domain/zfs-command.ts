// A zfs command as data: what to run, never how. adapters/zfs/commands.ts turns each into its
// one argv, which a dry run prints and a run executes, so the two cannot differ. Snapshots are
// written in full ("tank/a@s1").
export type ZfsCommand = ZfsSingle | ZfsStream;

// The commands that run on their own (not as the end of a stream).
export type ZfsSingle =
  | { readonly op: 'snapshot'; readonly snapshots: readonly string[]; readonly recursive: boolean } // several: atomic (OpenZFS)
  | { readonly op: 'destroy'; readonly dataset: string; readonly names: readonly string[]; readonly recursive: boolean } // dataset@a,b (commas: OpenZFS)
  | { readonly op: 'destroy-dataset'; readonly dataset: string; readonly recursive: boolean }
  | ZfsHoldCommand
  | { readonly op: 'create-parents'; readonly dataset: string } // zfs create -p
  | { readonly op: 'rename'; readonly from: string; readonly to: string }
  | { readonly op: 'rollback'; readonly snapshot: string } // to the newest snapshot only (no -r)
  | { readonly op: 'mount'; readonly dataset: string }
  | { readonly op: 'unmount'; readonly dataset: string }
  | { readonly op: 'abort-receive'; readonly dataset: string } // zfs receive -A: drop a partial receive
  | { readonly op: 'bookmark'; readonly snapshot: string; readonly bookmark: string } // zfs bookmark a@s a#b (OpenZFS)
  | { readonly op: 'destroy-bookmark'; readonly bookmark: string }; // zfs destroy a#b

// A hold tag put on, or taken off, many snapshots in one call.
export type ZfsHoldCommand =
  | { readonly op: 'hold'; readonly tag: string; readonly snapshots: readonly string[] }
  | { readonly op: 'release'; readonly tag: string; readonly snapshots: readonly string[] };

// OpenZFS stream features: large blocks, embedded data, blocks as stored (compressed).
export type StreamFlag = '-L' | '-e' | '-c';
export const STREAM_FLAGS: readonly StreamFlag[] = ['-L', '-e', '-c'];

// The two ends of a stream.
export type ZfsStream = ZfsSend | ZfsReceive;

export type ZfsSend =
  | {
      readonly op: 'send';
      readonly snapshot: string;
      readonly from?: { readonly snapshot: string; readonly intermediates: boolean }; // -I (intermediates) or -i; a#bookmark: -i only
      readonly raw: boolean; // -w: encrypted datasets stay encrypted (OpenZFS ≥ 0.8)
      readonly props: boolean; // -p: only when asked (pyznap never sent properties)
      readonly stream?: readonly StreamFlag[]; // -L -e -c where both ends support them (OpenZFS)
    }
  | { readonly op: 'send-resume'; readonly token: string }; // zfs send -t

export interface ZfsReceive {
  readonly op: 'receive';
  readonly dataset: string;
  readonly verbose: boolean; // -v: the stream's size, for the log line
  readonly mount: boolean; // without -u (pyznap always used -u: issues #43, #79)
  readonly resumable: boolean; // -s (OpenZFS)
  readonly force: boolean; // -F: only over a dataset that --force lets go, or that this run made
}

// Pure planning of btrfs replication (btrbk's way): what to send from a subvolume's snapshot
// directory to a destination directory, and with which parent. No I/O; the use case lists both
// sides and passes them in. (It sits in app/ beside its use case because domain/replication
// is ZFS send's; it imports nothing with I/O.)

// A read-only snapshot in the source snapshot directory.
export interface SourceSnapshot {
  readonly name: string;
  readonly uuid: string;
  readonly receivedUuid?: string; // set when the source itself was received (chained replicas)
  readonly order: number; // creation order
}

// A subvolume in the destination directory.
export interface DestSubvolume {
  readonly name: string;
  readonly receivedUuid?: string; // set by a completed btrfs receive
  readonly readonly: boolean;
}

export interface BtrfsSendStep {
  readonly name: string;
  readonly parent?: string; // a snapshot both sides hold: `btrfs send -p`; absent: a full stream
}

export type BtrfsSendPlan =
  | {
      readonly kind: 'send';
      readonly common?: string; // the newest snapshot both sides hold
      readonly steps: readonly BtrfsSendStep[]; // oldest first
      readonly clear: readonly string[]; // unfinished receives in the way: deleted first
    }
  | { readonly kind: 'conflict'; readonly message: string };

// The identity a received copy carries: btrfs send passes the source's received_uuid along when
// the source is itself a replica, else its uuid.
const identity = (s: SourceSnapshot): string => s.receivedUuid ?? s.uuid;

// The common parent is the newest source snapshot whose identity a destination subvolume
// carries as received_uuid (names may differ). Every source snapshot newer than it goes over,
// oldest first, each one the parent of the next; with no common snapshot the first is a full
// stream. A destination subvolume with the name of one to receive is either an unfinished
// receive (writable, no received_uuid: cleared first) or something else (a conflict: nothing
// is overwritten).
export function planBtrfsSend(source: readonly SourceSnapshot[], dest: readonly DestSubvolume[]): BtrfsSendPlan {
  const received = new Set(dest.flatMap((d) => (d.receivedUuid ? [d.receivedUuid] : [])));
  const sorted = [...source].sort((a, b) => a.order - b.order);
  const common = [...sorted].reverse().find((s) => received.has(identity(s)));
  const newer = common ? sorted.filter((s) => s.order > common.order) : sorted;
  const todo = newer.filter((s) => !received.has(identity(s)));
  const byName = new Map(dest.map((d) => [d.name, d]));
  const clear: string[] = [];
  for (const s of todo) {
    const d = byName.get(s.name);
    if (!d) continue;
    if (!d.readonly && !d.receivedUuid) clear.push(d.name);
    else
      return {
        kind: 'conflict',
        message: `the destination already has a different ${s.name} (${d.readonly ? 'read-only' : 'writable'}, not received from this source); move it away`,
      };
  }
  let parent = common?.name;
  const steps = todo.map((s) => {
    const step = parent ? { name: s.name, parent } : { name: s.name };
    parent = s.name;
    return step;
  });
  return { kind: 'send', ...(common ? { common: common.name } : {}), steps, clear };
}

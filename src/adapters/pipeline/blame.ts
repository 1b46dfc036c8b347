import type { StageOutcome } from '../../app/send/ports.js';

// One thing that can fail in a running pipeline: a stage, or the ssh connection carrying a
// remote segment (the send port's StageOutcome). Listed upstream first.
export type Unit = StageOutcome;

const SIGPIPE_STATUS = 141;

// A unit that failed only because its neighbour did: killed by SIGPIPE or by us, or it said
// "Broken pipe" or "Connection reset" (the stages are joined by socket pairs, whose writer gets
// ECONNRESET when the reader closed with data unread; zfs send, mbuffer, pv and ssh say so).
export function isVictim(u: Unit): boolean {
  if (u.killedByUs || u.code === SIGPIPE_STATUS) return true;
  return (
    u.code !== undefined && u.code !== 0 && /Broken pipe|EPIPE|Connection reset by peer|ECONNRESET/i.test(u.stderr) && u.role !== 'receive'
  );
}

// The cause of a failed pipeline. A stage that reported a failure of its own comes first, the
// most upstream one (a receive fed a truncated stream is downstream of the stage that cut it);
// then a failed ssh connection (its remote stages cannot report); then a remote stage that
// never reported; and when every failure looks secondary, the most downstream one.
export function blame(units: readonly Unit[]): Unit | undefined {
  const failing = units.filter((u) => u.code !== 0);
  if (failing.length === 0) return undefined;
  return (
    failing.find((u) => u.code !== undefined && u.role !== 'ssh' && !isVictim(u)) ??
    failing.find((u) => u.role === 'ssh' && !u.killedByUs && u.code !== undefined) ??
    failing.find((u) => u.code === undefined) ??
    failing[failing.length - 1]
  );
}

import type { Transfer } from '../../domain/replication/types.js';
import type { Doing } from '../ports.js';

// What an interrupted transfer leaves, and so what the next run does: zfs receive applies a
// stream whole or not at all; with receive -s (OpenZFS, resume = yes) it keeps what arrived
// aside under a resume token. The base stays held either way.
export function transferDoing(label: string, step: Transfer, resumable: boolean): Doing {
  const how =
    step.kind === 'full'
      ? 'full'
      : step.kind === 'resume'
        ? 'resuming a partial receive'
        : `incremental from ${step.bookmark ? '#' : '@'}${step.from}`;
  const again =
    step.kind === 'incremental'
      ? step.bookmark
        ? `sends again from the bookmark #${step.from}`
        : `sends again from @${step.from}, which stays held`
      : step.kind === 'full'
        ? 'starts the full send again'
        : 'sends again from the common snapshot';
  const next = resumable
    ? `nothing was half-applied: zfs receive -s kept what arrived aside, and the next run resumes from its resume token (if none was saved, it ${again})`
    : `nothing was half-applied (zfs receive applies a stream whole or not at all): the next run ${again}`;
  return { what: `send ${label} (${how})`, next };
}

// Between transfers (listing, planning, holds, the destinations' clean): every zfs command is
// atomic, and the next run plans again from what both sides have.
export function jobDoing(label: string): Doing {
  return { what: `send ${label}`, next: 'nothing was half-applied: the next run plans again from what both sides have' };
}

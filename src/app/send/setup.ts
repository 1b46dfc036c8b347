import { type Endpoint, endpointKey, placeLabel } from '../../domain/endpoint.js';
import type { HostState } from '../../domain/host-state.js';
import { holdTag } from '../hold-tag.js';
import { bookmarkName } from './bookmarks.js';
import { messageOf } from '../failures.js';
import type { ZfsCapabilities } from '../ports.js';
import type { StreamFlag } from '../../domain/zfs-command.js';
import type { SendJob } from './jobs.js';
import type { CompressorSpec, HostToolsInfo } from './ports.js';
import type { JobEnv } from './transfer.js';
import type { RateLimit } from './pipeline.js';
import { rateArg } from '../../domain/units.js';
import type { RunEnv } from './env.js';

export interface JobSetup {
  readonly srcCaps: ZfsCapabilities;
  readonly destCaps: ZfsCapabilities;
  readonly srcState: HostState;
  readonly destState: HostState;
  readonly env: JobEnv;
  // A running `zfs receive` into one of these destination datasets, if any.
  readonly receiving: (dests: readonly string[]) => { dataset: string; line: string } | undefined;
}

// The properties a destination listing needs beyond the base ones: where the host has it, the
// partial-receive token (what a dataset without snapshots holds is asked apart: app/send/dest.ts).
export const destPropsFor = (caps: ZfsCapabilities): string[] => (caps.resume ? ['receive_resume_token'] : []);

// A source listing's extra: how each dataset is stored, where `zfs send -c` could keep it so.
export const sourcePropsFor = (caps: ZfsCapabilities): string[] => (caps.streamFlags?.includes('-c') ? ['compression'] : []);

// Everything a job needs before planning: both hosts' capabilities, listings and tools, and the
// transfer settings they allow (compressor, buffers, resume, progress meter).
export async function jobSetup(run: RunEnv, job: SendJob, notes: string[]): Promise<JobSetup | { problem: string }> {
  const { ports, o } = run;
  const src = job.source.endpoint;
  const dst = job.dest.endpoint;
  let srcCaps: ZfsCapabilities;
  let destCaps: ZfsCapabilities;
  try {
    [srcCaps, destCaps] = await Promise.all([ports.zfs(src).capabilities(), ports.zfs(dst).capabilities()]);
  } catch (e) {
    return { problem: `cannot use zfs there: ${messageOf(e)}` };
  }
  if (job.options.raw && !srcCaps.rawSend)
    return { problem: `raw send (-w) needs OpenZFS 0.8 or later on the source; ${placeLabel(src)} runs ${srcCaps.flavor}` };
  // The capability probe opened each host's one ssh master connection; the rest share it, at once.
  const [srcState, destState, srcTools, destTools] = await Promise.all([
    run.list('source', src),
    run.list('dest', dst),
    ports.tools(src),
    ports.tools(dst),
  ]);
  const remote = src.kind === 'ssh' || dst.kind === 'ssh';
  const sameHost = endpointKey(src) === endpointKey(dst);
  const wantResume = job.options.resume;
  const resumable = wantResume && srcCaps.resume && destCaps.resume;
  if (wantResume && !resumable) {
    const host = !destCaps.resume ? dst : src;
    run.warnOnce(`resume:${endpointKey(host)}`, {
      kind: 'resume-unavailable',
      host: placeLabel(host),
      flavor: (!destCaps.resume ? destCaps : srcCaps).flavor,
    });
  }
  const limit = rateLimit(job.options.bwlimit, srcTools);
  if (limit === 'missing')
    return {
      problem: `bwlimit = ${rateArg(job.options.bwlimit!)} needs mbuffer or pv on the sending host ${placeLabel(src)}, which has neither; install one (apt install mbuffer) or remove the limit`,
    };
  const stream = streamFlags(job, srcCaps, destCaps, notes);
  const localTools = src.kind === 'local' ? srcTools : dst.kind === 'local' ? destTools : await ports.tools({ kind: 'local' });
  const env: JobEnv = {
    ctx: run.ctx,
    ports,
    job,
    tag: holdTag(dst, job.dest.dataset),
    bookmark: bookmarkName(dst, job.dest.dataset),
    ...pickCompressor(run, job, srcTools, destTools, remote && !sameHost, notes),
    pv: localTools.has.has('pv'), // bytes for the meter on a TTY, or progress lines in a log; printed by --dry-run as it runs
    ...(limit ? { limit } : {}),
    stream,
    storedCompressed: (ds) => compressorSkipped(stream, job.options.compress, srcState.datasets.get(ds)?.props.compression),
    // OpenZFS on both ends: a full send is sized first and refused if it cannot fit.
    spaceCheck: srcCaps.sendEstimate && destCaps.flavor === 'openzfs',
    mbuffer: { source: srcTools.has.has('mbuffer'), dest: destTools.has.has('mbuffer') },
    resumable,
    estimate: srcCaps.sendEstimate && (o.progress || o.dryRun || remote),
    events: run.events,
    where: run.where,
  };
  if (!job.options.holdBase && !srcCaps.bookmarks)
    notes.push(`hold_base = no needs bookmarks, which ${srcCaps.flavor} lacks: the base stays held on the source`);
  const about = `${run.where(src, job.source.dataset)} → ${run.where(dst, job.dest.dataset)}`;
  for (const note of notes) run.ctx.log.event({ kind: 'send-note', about, note });
  return { srcCaps, destCaps, srcState, destState, env, receiving: (dests) => receiving(destTools, dests) };
}

// bwlimit's program on the sending host: mbuffer -r, else pv -L; never an unthrottled send.
function rateLimit(bytesPerSec: number | undefined, tools: HostToolsInfo): RateLimit | 'missing' | undefined {
  if (!bytesPerSec) return undefined;
  if (tools.has.has('mbuffer')) return { bytesPerSec, tool: 'mbuffer' };
  if (tools.has.has('pv')) return { bytesPerSec, tool: 'pv' };
  return 'missing';
}

// The requested compressor (lzop over ssh, as pyznap), if it makes sense and both ends have it;
// otherwise a warning and an uncompressed stream.
function pickCompressor(
  run: RunEnv,
  job: SendJob,
  srcTools: HostToolsInfo,
  destTools: HostToolsInfo,
  network: boolean,
  notes: string[],
): { compressor?: CompressorSpec } {
  const asked = job.options.compress;
  const name = asked ?? (network ? 'lzop' : 'none');
  if (name === 'none' || name === '') return {};
  if (!network) return {}; // a local stream gains nothing from compression
  if (job.options.raw) {
    if (asked) notes.push(`compress = ${asked} ignored: a raw stream is encrypted or already compressed`);
    return {};
  }
  const c = run.ports.compressor(name);
  if (!c) {
    notes.push(`compressor "${name}" is not supported (known: none, lzop, lz4, zstd, gzip, pigz, bzip2, xz); sending uncompressed`);
    return {};
  }
  const missing = [
    ...(srcTools.has.has(c.compress[0]!) ? [] : [placeLabel(job.source.endpoint)]),
    ...(destTools.has.has(c.decompress[0]!) ? [] : [placeLabel(job.dest.endpoint)]),
  ];
  if (missing.length > 0) {
    notes.push(`${name} is not installed on ${missing.join(' and ')}; sending uncompressed`);
    return {};
  }
  return { compressor: c };
}

// With -c the blocks travel as stored: a dataset stored compressed gains nothing from the
// default ssh compressor; one named in `compress` (or -c on the command line) still runs.
export function compressorSkipped(stream: readonly StreamFlag[], asked: string | undefined, compression: string | undefined): boolean {
  return stream.includes('-c') && asked === undefined && compression !== undefined && compression !== 'off';
}

// The stream flags both ends support, within what the destination allows (send_flags); a flag
// asked for by name that one end lacks is a note.
export function streamFlags(job: SendJob, src: ZfsCapabilities, dest: ZfsCapabilities, notes: string[]): StreamFlag[] {
  if (job.options.raw) return []; // -w sends the blocks as stored already
  const both = (src.streamFlags ?? []).filter((f) => (dest.streamFlags ?? []).includes(f));
  const asked = job.options.sendFlags;
  if (asked === 'auto') return both;
  const lacking = asked.filter((f) => !both.includes(f));
  if (lacking.length > 0)
    notes.push(`send_flags ${lacking.join(' ')}: not supported on both ends (${src.flavor} → ${dest.flavor}); sent without`);
  return asked.filter((f) => both.includes(f));
}

function receiving(tools: HostToolsInfo, dests: readonly string[]): { dataset: string; line: string } | undefined {
  for (const line of tools.receives) {
    const dataset = dests.find((d) => line.endsWith(` ${d}`));
    if (dataset) return { dataset, line };
  }
  return undefined;
}

export type { Endpoint };

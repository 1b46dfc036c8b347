import { type Endpoint, endpointKey } from '../../domain/endpoint.js';
import { rateArg } from '../../domain/units.js';
import type { Transfer } from '../../domain/replication/types.js';
import type { CompressorSpec, PipelineSpec, SendShape, StageSpec, TransferArgv } from './ports.js';

export interface TransferShape {
  readonly step: Transfer;
  readonly source: { readonly endpoint: Endpoint; readonly dataset: string };
  readonly dest: { readonly endpoint: Endpoint; readonly dataset: string };
  readonly send: SendShape;
  readonly receive: { readonly mount: boolean; readonly resumable: boolean; readonly force: boolean };
  readonly compressor?: CompressorSpec; // resolved: both ends have it, the stream crosses a network
  readonly mbuffer: { readonly source: boolean; readonly dest: boolean }; // present on each end
  readonly sizeBytes?: number; // zfs send -nvP, where the host supports it
  readonly pv: boolean; // count the bytes on this host (pv -n), for the meter and the log
  readonly limit?: RateLimit; // bwlimit, on the sending host
}

// A bandwidth limit and the program on the sending host that applies it (mbuffer preferred).
export interface RateLimit {
  readonly bytesPerSec: number;
  readonly tool: 'mbuffer' | 'pv';
}

const MiB = 1024 * 1024;

// pyznap's sizing: one MiB of buffer per MiB of stream, 1 to 256 MiB; unknown size: 256.
export function mbufferArgv(sizeBytes: number | undefined, bytesPerSec?: number): string[] {
  const m = sizeBytes === undefined ? 256 : Math.min(Math.max(Math.floor(sizeBytes / MiB), 1), 256);
  return ['mbuffer', '-q', '-s', '128K', '-m', `${m}M`, ...(bytesPerSec ? ['-r', rateArg(bytesPerSec)] : [])];
}

// The rate limit alone, where no network buffer carries it: mbuffer -r (a small buffer: it
// only paces), else pv -L (quiet).
export function limitArgv(l: RateLimit): string[] {
  const rate = rateArg(l.bytesPerSec);
  return l.tool === 'mbuffer' ? ['mbuffer', '-q', '-s', '128K', '-m', '8M', '-r', rate] : ['pv', '-q', '-L', rate];
}

// zfs send | [compress] | [mbuffer] | ssh … '[mbuffer] | [decompress] | zfs receive'. Local to
// local is the raw pipe; both ends on the same remote host run there (one ssh, no relay). The
// progress meter sits on this host where it sees the uncompressed stream when it can.
// pvCompressed: pv counts the compressed stream (a relay between two hosts), so its bytes
// cannot be compared with the size estimate.
export function transferPipeline(
  t: TransferShape,
  argv: TransferArgv,
): { pipeline: PipelineSpec; pvIndex?: number; pvCompressed?: boolean } {
  const src = t.source.endpoint;
  const dst = t.dest.endpoint;
  const sameHost = endpointKey(src) === endpointKey(dst);
  const stages: StageSpec[] = [];
  const add = (a: readonly string[], endpoint: Endpoint, role: StageSpec['role']): void => {
    stages.push({ argv: a, endpoint, role });
  };
  let pvIndex: number | undefined;
  let pvCompressed = false;
  const pv = (compressed = false): void => {
    if (!t.pv) return;
    pvIndex = stages.length;
    pvCompressed = compressed;
    add(['pv', '-n', '-b', '-i', '0.5'], { kind: 'local' }, 'progress');
  };
  add(argv.send(t.step, t.source.dataset, t.send), src, 'send');
  // Worth a buffer only across a network and for a stream of a MiB or more (pyznap).
  const buffered = !sameHost && (t.sizeBytes === undefined || t.sizeBytes >= MiB);
  // bwlimit on the sending host, after compression: the limit is on the bytes that travel. The
  // source's mbuffer carries it when there is one; else a stage of its own.
  const limit = t.limit;
  const limitHere = (): void => {
    if (limit) add(limitArgv(limit), src, 'limit');
  };
  if (!sameHost) {
    if (src.kind === 'local') pv();
    if (t.compressor) add(t.compressor.compress, src, 'compress');
    if (buffered && t.mbuffer.source)
      add(mbufferArgv(t.sizeBytes, limit?.tool === 'mbuffer' ? limit.bytesPerSec : undefined), src, 'buffer');
    if (limit && !(buffered && t.mbuffer.source && limit.tool === 'mbuffer')) limitHere();
    if (src.kind === 'ssh' && dst.kind === 'ssh') pv(t.compressor !== undefined);
    if (buffered && t.mbuffer.dest) add(mbufferArgv(t.sizeBytes), dst, 'buffer');
    if (t.compressor) add(t.compressor.decompress, dst, 'decompress');
    if (dst.kind === 'local') pv();
  } else {
    limitHere();
    if (src.kind === 'local') pv();
  }
  add(argv.receive(t.dest.dataset, t.receive), dst, 'receive');
  return { pipeline: { stages }, ...(pvIndex !== undefined ? { pvIndex } : {}), ...(pvCompressed ? { pvCompressed } : {}) };
}

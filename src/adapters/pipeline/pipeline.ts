import { type Endpoint, type SshEndpoint, endpointKey, sshDestination } from '../../domain/endpoint.js';
import type { PipelineSpec, StageSpec } from '../../app/send/ports.js';
import { shellJoin } from '../exec/shell-quote.js';

// A pipeline is data (the send port's PipelineSpec): stages in stream order, each on its host.
// It prints as one shell line and runs with every stage's stdout wired to the next stage's stdin.
export type { StageRole } from '../../app/send/ports.js';
export type Stage = StageSpec;
export type Pipeline = PipelineSpec;

// Consecutive stages on the same host: local ones become one process each, a remote run of
// stages becomes one ssh process (see remote-script.ts).
export interface Segment {
  readonly endpoint: Endpoint;
  readonly stages: readonly { readonly index: number; readonly stage: Stage }[];
}

export function segmentsOf(p: Pipeline): Segment[] {
  const out: { endpoint: Endpoint; stages: { index: number; stage: Stage }[] }[] = [];
  p.stages.forEach((stage, index) => {
    const last = out[out.length - 1];
    const remote = stage.endpoint.kind === 'ssh';
    if (last && remote && endpointKey(last.endpoint) === endpointKey(stage.endpoint)) last.stages.push({ index, stage });
    else out.push({ endpoint: stage.endpoint, stages: [{ index, stage }] });
  });
  return out;
}

// The ssh words a printed pipeline uses for a host (`ssh -p 2222 root@host`).
export type SshWords = (e: SshEndpoint) => readonly string[];

export const minimalSsh: SshWords = (e) => ['ssh', ...(e.port !== undefined ? ['-p', String(e.port)] : []), sshDestination(e)];

// One copy-pasteable shell line: `zfs send … | lzop | ssh host 'lzop -dfc | zfs receive …'`.
// It runs the same transfer; the executed form adds only the per-stage status reporting.
export function printPipeline(p: Pipeline, ssh: SshWords = minimalSsh): string {
  return segmentsOf(p)
    .map((seg) => {
      const text = seg.stages.map((s) => shellJoin(s.stage.argv)).join(' | ');
      return seg.endpoint.kind === 'local' ? text : shellJoin([...ssh(seg.endpoint), text]);
    })
    .join(' | ');
}

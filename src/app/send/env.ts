import type { Endpoint } from '../../domain/endpoint.js';
import type { HostState } from '../../domain/host-state.js';
import type { SnapPolicy } from '../../domain/policy.js';
import type { AppContext } from '../context.js';
import type { LogEvent } from '../ports.js';
import type { SendPorts } from './ports.js';
import type { Slots } from './slots.js';
import type { SendEvents } from './transfer.js';

export interface SendRunOptions {
  readonly dryRun: boolean;
  readonly force: boolean; // --force: every destination may lose destination-only snapshots
  readonly clean: boolean; // prune destinations that have a section of their own, afterwards
  readonly progress: boolean; // stderr is a TTY: show a meter
  readonly parallel?: { readonly total: number; readonly perHost: number }; // transfers in flight (default 4, 2 per host)
}

// What the jobs of one run share: one listing per host and side, one tool probe per host.
export interface RunEnv {
  readonly ctx: AppContext;
  readonly ports: SendPorts;
  readonly o: SendRunOptions;
  readonly events: SendEvents;
  readonly where: (e: Endpoint, dataset: string) => string;
  readonly slots: Slots; // transfers in flight: in all and per host
  list(side: 'source' | 'dest', e: Endpoint): Promise<HostState>;
  destPolicy(e: Endpoint, dataset: string): SnapPolicy | undefined;
  warnOnce(key: string, event: LogEvent): void; // once per run and key
}

import { COMPRESSORS, ToolProbe, onPath } from '../../adapters/exec/tools.js';
import { lockOrBusy } from '../../adapters/lock/flock.js';
import { Pipelines } from '../../adapters/pipeline/pipelines.js';
import type { ZfsHost } from '../../adapters/zfs/host.js';
import { ReplicationZfs, estimateArgv, parseReceived, receiveArgv, replicationFailure, sendArgv } from '../../adapters/zfs/replication.js';
import type { SendPorts } from '../../app/send/ports.js';
import { endpointKey } from '../../domain/endpoint.js';
import { sleep } from '../../infra/clock.js';
import type { CommandEnv } from './env.js';
import type { Composed } from './index.js';

// The composition of `holdfast send`: its adapters wired into the app's SendPorts. Every port is
// an adapter's own function; what is wired here is which instance, per host and per run.
export function sendPorts(c: Composed, env: CommandEnv): SendPorts {
  const probe = new ToolProbe(c.runner);
  const reps = new Map<string, ReplicationZfs>();
  // setpriv (util-linux) makes each local stage die with holdfast.
  const pipelines = new Pipelines({ ssh: c.ssh, pdeathsig: onPath('setpriv'), signal: c.stop });
  return {
    argv: { send: sendArgv, receive: receiveArgv, estimate: estimateArgv, received: parseReceived },
    zfs: (e) => c.ctx.snapshots('zfs', e) as unknown as ZfsHost,
    replication: (e) => {
      const k = endpointKey(e);
      let r = reps.get(k);
      if (!r) reps.set(k, (r = new ReplicationZfs(e, c.runner)));
      return r;
    },
    tools: (e) => probe.probe(e),
    compressor: (name) => COMPRESSORS.get(name),
    runPipeline: pipelines.run,
    printPipeline: pipelines.print,
    lock: (name) => lockOrBusy(env.g.lockDir, name, () => 'holder unknown'),
    classify: replicationFailure((stderr, via) => c.runner.sshFix(stderr, via)),
    sleep: (ms) => sleep(ms, c.stop),
    spawned: () => {
      const all = new Map(c.runner.spawned);
      for (const [k, v] of pipelines.spawned) all.set(k, (all.get(k) ?? 0) + v);
      return all;
    },
  };
}

import { COMPRESSORS, ToolProbe, onPath } from '../../adapters/exec/tools.js';
import { lockOrBusy } from '../../adapters/lock/flock.js';
import { Pipelines } from '../../adapters/pipeline/pipelines.js';
import { estimateArgv, parseReceived, receiveArgv, replicationFailure, sendArgv } from '../../adapters/zfs/replication.js';
import type { SendPorts } from '../../app/send/ports.js';
import { sleep } from '../../infra/clock.js';
import type { CommandEnv } from './env.js';
import type { Composed } from './index.js';

// The composition of `holdfast send`: its adapters wired into the app's SendPorts. Every port is
// an adapter's own function; what is wired here is which instance, per run. The hosts are the
// run's (c.zfs): the same ZfsHost as the snap cycle's, probed once.
export function sendPorts(c: Composed, env: CommandEnv): SendPorts {
  const probe = new ToolProbe(c.runner);
  // setpriv (util-linux) makes each local stage die with holdfast.
  const pipelines = new Pipelines({ ssh: c.ssh, pdeathsig: onPath('setpriv'), signal: c.stop });
  return {
    argv: { send: sendArgv, receive: receiveArgv, estimate: estimateArgv, received: parseReceived },
    zfs: c.zfs.host,
    replication: c.zfs.replication,
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

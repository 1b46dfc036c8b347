import { COMPRESSORS, ToolProbe, onPath } from '../../adapters/exec/tools.js';
import { LockHeldError, acquireLock } from '../../adapters/lock/flock.js';
import { printPipeline } from '../../adapters/pipeline/pipeline.js';
import { runPipeline } from '../../adapters/pipeline/run.js';
import {
  BaseMismatchError,
  DatasetNotFoundError,
  DestModifiedError,
  OutOfSpaceError,
  SshError,
  StaleResumeTokenError,
  StreamCorruptError,
} from '../../adapters/zfs/errors.js';
import {
  ReplicationZfs,
  classifyReplicationError,
  estimateArgv,
  parseReceived,
  receiveArgv,
  sendArgv,
} from '../../adapters/zfs/replication.js';
import type { ZfsHost } from '../../adapters/zfs/host.js';
import type { FailureKind, SendPorts } from '../../app/send/ports.js';
import { endpointKey } from '../../domain/endpoint.js';
import type { Composed } from './index.js';
import type { CommandEnv } from '../env.js';

// The composition of `holdfast send`: its adapters wired into the app's SendPorts.
export function sendPorts(c: Composed, env: CommandEnv): SendPorts {
  const probe = new ToolProbe(c.runner);
  const reps = new Map<string, ReplicationZfs>();
  const piped = new Map<string, number>();
  const pdeathsig = onPath('setpriv'); // setpriv (util-linux) makes each local stage die with holdfast
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
    runPipeline: (p, w) =>
      runPipeline(p, {
        ssh: (e, remote) => c.ssh.argv(e, remote),
        pdeathsig,
        signal: c.stop,
        onSpawn: (program) => piped.set(program, (piped.get(program) ?? 0) + 1),
        ...w,
      }),
    printPipeline: (p) => printPipeline(p, (e) => c.ssh.shown(e)),
    lock: async (name) => {
      try {
        return await acquireLock(env.g.lockDir, name);
      } catch (e) {
        if (e instanceof LockHeldError) return { busy: e.holder || 'holder unknown' };
        throw e;
      }
    },
    classify: (stderr, argv, code, via) => {
      const fix = via?.kind === 'ssh' && code === 255 ? c.runner.sshFix(stderr, via) : undefined;
      const e = classifyReplicationError(stderr, argv, code, fix);
      return { kind: kindOf(e), message: e.message, ...(fix ? { fix } : {}) };
    },
    sleep: (ms) => wait(ms, c.stop),
    spawned: () => {
      const all = new Map(c.runner.spawned);
      for (const [k, v] of piped) all.set(k, (all.get(k) ?? 0) + v);
      return all;
    },
  };
}

// A retry's wait, cut short when the run is interrupted (it then starts nothing new anyway).
function wait(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(t);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
  });
}

function kindOf(e: Error): FailureKind {
  if (e instanceof DestModifiedError) return 'dest-modified';
  if (e instanceof OutOfSpaceError) return 'out-of-space';
  if (e instanceof StreamCorruptError) return 'corrupt';
  if (e instanceof BaseMismatchError) return 'base-mismatch';
  if (e instanceof DatasetNotFoundError) return 'not-found';
  if (e instanceof StaleResumeTokenError) return 'stale-token';
  if (e instanceof SshError) return 'ssh';
  return 'other';
}

import { accessSync, constants } from 'node:fs';
import { hostname } from 'node:os';
import { delimiter, join } from 'node:path';
import { ToolProbe } from '../../adapters/exec/tools.js';
import type { SshSettings } from '../../adapters/exec/ssh.js';
import type { DoctorDeps } from '../../app/doctor/finding.js';
import { EMPTY_INVENTORY, type Inventory, inventoryOf } from '../../app/doctor/inventory.js';
import { ConfigFileError, loadPolicyFile } from '../../config/load.js';
import type { PolicyFile } from '../../config/policy-file.js';
import { VERSION } from '../globals.js';
import type { CommandEnv } from './env.js';
import { sshSettingsFrom } from './ssh.js';

// The composition of `holdfast doctor`: the config as a run reads it, and every check's window on
// the host (commands, zfs, stores, tools, PATH, a test notification with --notify). The store
// modules (and the AWS SDK behind them) and the notifiers load only when a check needs them.
export async function doctorDeps(env: CommandEnv, notify: boolean): Promise<DoctorDeps> {
  const { file, error } = await readPolicy(env.g.config);
  const inventory = file ? inventoryOf(file) : EMPTY_INVENTORY;
  const { runner, zfs } = await env.app(sshSettings(file, inventory));
  const probe = new ToolProbe(runner);
  return {
    configPath: env.g.config,
    file,
    configError: error,
    inventory,
    lockDir: env.g.lockDir,
    uid: process.getuid?.() ?? 0,
    paths: { cronFile: '/etc/cron.d/holdfast', systemdDir: '/etc/systemd/system' },
    exec: (endpoint, argv, timeoutMs) => runner.run({ argv, endpoint, mutates: false, ...(timeoutMs ? { timeoutMs } : {}) }),
    zfs: zfs.host,
    openStore: (dest) => openConfiguredStore(file, dest),
    storeProblem: async (dest) => {
      const [{ parseStoreLocation }, { storeTarget }] = await Promise.all([
        import('../../app/store/config.js'),
        import('../../config/sections/store.js'),
      ]);
      return file ? storeTarget(file, parseStoreLocation(dest)).problem : undefined;
    },
    which,
    tools: async (e) => (await probe.probe(e)).has,
    unreachable: new Set<string>(),
    ...(notify && file ? { sendTestNotification: () => testNotification(env, file) } : {}),
  };
}

// A store opened as send opens it: its section's s3_* settings, then the environment. The store
// modules (and the AWS SDK behind them) load only here, so they stay off start-up.
async function openConfiguredStore(file: PolicyFile | undefined, dest: string) {
  const [{ openStore }, { parseStoreLocation }, { storeTarget }] = await Promise.all([
    import('../../adapters/store/open-store.js'),
    import('../../app/store/config.js'),
    import('../../config/sections/store.js'),
  ]);
  const cfg = file ? storeTarget(file, parseStoreLocation(dest)) : undefined;
  return openStore(dest, { ...(cfg ? { s3: cfg.s3 } : {}), ...(cfg?.chunkSize ? { chunkSize: cfg.chunkSize } : {}) });
}

// The config as a run would read it; a file that cannot be read is a finding, not a crash.
async function readPolicy(path: string): Promise<{ file?: PolicyFile; error?: string }> {
  try {
    return { file: await loadPolicyFile(path) };
  } catch (e) {
    if (e instanceof ConfigFileError) return { error: e.message };
    throw e;
  }
}

// ssh as a run would use it (every key the config names, ssh_options, ssh_cipher), but a host
// that does not answer fails its check in 10 s rather than hanging the doctor.
function sshSettings(file: PolicyFile | undefined, inv: Inventory): SshSettings {
  return { ...sshSettingsFrom(file, { keys: inv.hosts.map((h) => [h.endpoint, h.key] as const) }), connectTimeoutSec: 10 };
}

async function testNotification(env: CommandEnv, file: PolicyFile) {
  const [{ notifyRun }, { buildSummary }, { notifyPorts }, { commandRefusal }] = await Promise.all([
    import('../../app/notify/run.js'),
    import('../../app/notify/summary.js'),
    import('../../adapters/notify/index.js'),
    import('./notify.js'),
  ]);
  const refused = commandRefusal(file.path);
  const now = env.clock.nowMs();
  const summary = buildSummary({
    command: 'doctor',
    counts: {},
    failures: [],
    version: VERSION,
    host: hostname(),
    startedMs: now,
    endedMs: now,
    exitCode: 0,
  });
  const { ctx } = await env.app();
  return notifyRun(
    { log: ctx.log, ports: notifyPorts(VERSION), ...(refused ? { commandsRefused: refused } : {}) },
    file,
    { ...summary, text: `holdfast doctor on ${summary.host}: a test notification` },
    true,
  );
}

// A program on PATH, as a shell would find it.
function which(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir || '.', program);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

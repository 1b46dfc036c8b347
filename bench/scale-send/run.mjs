#!/usr/bin/env node
// bench/scale-send: a tree of N datasets (a few nested) with ~4 MiB each, replicated once in
// full, then ROUNDS rounds of ~1 MiB new data per dataset and one recursive snapshot, each round
// replicated incrementally by every contender, interleaved: holdfast --parallel 1 and 4,
// syncoid -r --no-sync-snap (with the zfs-fuse shim, bench/peers), and a plain loop of
// `zfs send -I | zfs receive` per dataset; locally and over ssh to 127.0.0.1. Per run: wall
// time, zfs processes (a counting `zfs` first on every PATH), ssh connections (the bench sshd's
// log), and the zfs-fuse daemon's CPU time. By hand, not a timed test:
//   N=50 ROUNDS=3 node bench/scale-send/run.mjs     (N=200 ROUNDS=1 for the growth figure)
// Streams go uncompressed everywhere (holdfast -c none, syncoid --compress=none): 2 cores.
import { execSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/holdfast.js');
const N = Number(process.env.N ?? 50);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const ONLY = (process.env.ONLY ?? '').split(',').filter(Boolean);
const DATA = process.env.HF_BENCH_DATA ?? '/var/tmp/hf-scale';
const sh = (c, o = {}) => {
  const r = spawnSync('bash', ['-c', c], { encoding: 'utf8', env: o.env ?? process.env, maxBuffer: 1 << 26 });
  if (r.status !== 0 && !o.ok) throw new Error(`${c}\n${r.stderr}`);
  return r.stdout;
};
mkdirSync(DATA, { recursive: true });
const tag = Math.random().toString(16).slice(2, 8);
const SRC = `hfss${tag}`;
const DST = `hfsd${tag}`;
for (const [p, size] of [
  [SRC, N > 100 ? '3G' : '2G'],
  [DST, N > 100 ? '12G' : '6G'],
])
  sh(`truncate -s ${size} ${DATA}/${p}.img && zpool create -m ${DATA}/mnt/${p} ${p} ${DATA}/${p}.img`);
const cleanup = [() => sh(`for p in ${SRC} ${DST}; do zpool destroy -f $p; rm -f ${DATA}/$p.img; done`, { ok: true })];
process.on('exit', () => cleanup.reverse().forEach((f) => f()));
process.on('SIGINT', () => process.exit(130));

// A counting zfs first on every PATH (ours and the sshd sessions'); syncoid's also goes through
// the zfs-fuse shim.
const dir = mkdtempSync(join(tmpdir(), 'hf-scale-'));
cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
const COUNT = join(dir, 'zfs-count');
for (const [sub, real] of [
  ['plain', '/usr/sbin/zfs'],
  ['shim', join(ROOT, 'bench/peers/zfs-shim')],
]) {
  mkdirSync(join(dir, sub));
  writeFileSync(join(dir, sub, 'zfs'), `#!/bin/sh\necho x >> ${COUNT}\nZFS_REAL=/usr/sbin/zfs exec ${real} "$@"\n`);
  chmodSync(join(dir, sub, 'zfs'), 0o755);
}
const SYS = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const zfsCount = () => {
  try {
    return readFileSync(COUNT, 'utf8').length / 2;
  } catch {
    return 0;
  }
};

// sshd on 127.0.0.1 (a plain one, and one whose sessions see the shim: syncoid), logging each
// connection.
sh(
  `id hfroot >/dev/null 2>&1 || useradd -o -u 0 -g 0 -M -d /var/lib/holdfast-ssh -s /bin/sh hfroot; usermod -p '*' hfroot; mkdir -p /var/lib/holdfast-ssh /run/sshd`,
);
sh(
  `ssh-keygen -q -t ed25519 -N '' -f ${dir}/host && ssh-keygen -q -t ed25519 -N '' -f ${dir}/client && cp ${dir}/client.pub ${dir}/authorized_keys`,
);
const hostKey = readFileSync(`${dir}/host.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
const PORT = 20000 + Math.floor(Math.random() * 20000);
const SHIM_PORT = PORT + 1;
for (const [port, path] of [
  [PORT, join(dir, 'plain')],
  [SHIM_PORT, join(dir, 'shim')],
]) {
  sh(
    `/usr/sbin/sshd -f /dev/null -o ListenAddress=127.0.0.1:${port} -o HostKey=${dir}/host -o AuthorizedKeysFile=${dir}/authorized_keys -o PermitRootLogin=prohibit-password -o PasswordAuthentication=no -o PidFile=${dir}/sshd-${port}.pid -o StrictModes=no -o UseDNS=no -o MaxSessions=100 -o MaxStartups=100 -o SetEnv=PATH=${path}:${SYS} -E ${dir}/sshd.log`,
  );
  writeFileSync(`${dir}/known_hosts`, `[127.0.0.1]:${port} ${hostKey}\n`, { flag: 'a' });
  cleanup.push(() => sh(`kill $(cat ${dir}/sshd-${port}.pid)`, { ok: true }));
}
const sshConnections = () => {
  try {
    return readFileSync(`${dir}/sshd.log`, 'utf8')
      .split('\n')
      .filter((l) => l.includes('Accepted publickey')).length;
  } catch {
    return 0;
  }
};
const sshOpts = `-i ${dir}/client -o UserKnownHostsFile=${dir}/known_hosts -o LogLevel=ERROR -o BatchMode=yes`;
sh(`ssh ${sshOpts} -p ${PORT} hfroot@127.0.0.1 true`);

// The tree: t, and N-1 children; every 10th nested under the one before it.
const names = ['t'];
for (let i = 0; i < N - 1; i++) names.push(i % 10 === 9 ? `t/c${i - 1}/c${i}` : `t/c${i}`);
const mnt = (ds) => `${DATA}/mnt/${SRC}/${ds}`;
const addData = (mib, file) => {
  for (const ds of names) sh(`zfs mount ${SRC}/${ds} 2>/dev/null; head -c ${mib}M /dev/urandom > ${mnt(ds)}/${file}`);
};
for (const ds of names) sh(`zfs create ${SRC}/${ds}`);
addData(4, 'base');
sh(`zfs snapshot -r ${SRC}/t@r0`);

// The contenders: a command per (round, place). `from`/`to`: the round's snapshots.
const locks = mkdtempSync(join(tmpdir(), 'hf-scale-lock-'));
const hfSsh = `-i ${dir}/client -o UserKnownHostsFile=${dir}/known_hosts -o LogLevel=ERROR`;
const where = (remote, d) => (remote ? `ssh:${PORT}:hfroot@127.0.0.1:${DST}/${d}` : `${DST}/${d}`);
const holdfast = (p) => (remote, d) =>
  `node ${BIN} --lock-dir ${locks} send -s ${SRC}/t -d ${where(remote, d)} ${hfSsh} -c none --no-clean --parallel ${p}`;
const contenders = {
  'holdfast p1': { cmd: holdfast(1), path: 'plain' },
  'holdfast p4': { cmd: holdfast(4), path: 'plain' },
  'syncoid -r': {
    path: 'shim',
    cmd: (remote, d) =>
      `syncoid -r --quiet --no-sync-snap --no-resume --no-privilege-elevation --compress=none ${remote ? `--sshkey=${dir}/client --sshport=${SHIM_PORT} --sshoption=UserKnownHostsFile=${dir}/known_hosts ` : ''}${SRC}/t ${remote ? 'hfroot@127.0.0.1:' : ''}${DST}/${d}`,
  },
  'raw loop': {
    path: 'plain',
    cmd: (remote, d, from, to) =>
      names
        .map((ds) => {
          const target = `${DST}/${d}${ds.slice(1)}`;
          const send = from ? `zfs send -I ${SRC}/${ds}@${from} ${SRC}/${ds}@${to}` : `zfs send ${SRC}/${ds}@${to}`;
          return `${send} | ${remote ? `ssh ${sshOpts} -p ${PORT} hfroot@127.0.0.1 ` : ''}zfs receive -u ${target}`;
        })
        .join(' && '),
  },
};
const picked = Object.entries(contenders).filter(([k]) => ONLY.length === 0 || ONLY.some((o) => k.startsWith(o)));
const daemonCpu = () => {
  const pid = sh('pgrep -x zfs-fuse', { ok: true }).trim().split('\n')[0];
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in seconds (USER_HZ 100)
};
function measure(name, c, remote, d, from, to) {
  const cmd = c.cmd(remote, d, from, to);
  const z0 = zfsCount();
  const s0 = sshConnections();
  const cpu0 = daemonCpu();
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', cmd], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(dir, c.path)}:${process.env.PATH}` },
    maxBuffer: 1 << 26,
  });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${name} ${remote ? 'ssh' : 'local'} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  return { wall, zfs: zfsCount() - z0, ssh: sshConnections() - s0, daemon: daemonCpu() - cpu0 };
}

const places = process.env.PLACES ? process.env.PLACES.split(',') : ['local', 'ssh'];
const runs = {};
const dname = (name, place) => `${name.replace(/[^a-z0-9]+/g, '')}-${place}`;
// The full replication once (the raw loop and syncoid need the destination root's parent only).
for (const place of places)
  for (const [name, c] of picked) {
    const m = measure(name, c, place === 'ssh', dname(name, place), undefined, 'r0');
    (runs[`${name}|${place}|full`] ??= []).push(m);
  }
for (let r = 1; r <= ROUNDS; r++) {
  addData(1, `inc${r}`);
  sh(`zfs snapshot -r ${SRC}/t@r${r}`);
  for (const place of places)
    for (const [name, c] of picked) {
      const m = measure(name, c, place === 'ssh', dname(name, place), `r${r - 1}`, `r${r}`);
      (runs[`${name}|${place}|inc`] ??= []).push(m);
    }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const lines = [
  `bench/scale-send: ${N} datasets, ~4 MiB each, then ${ROUNDS} round(s) of ~1 MiB per dataset; medians; ${new Date().toISOString()}`,
  `load before: ${readFileSync('/proc/loadavg', 'utf8').trim()}`,
  '',
  '| contender | place | full: wall | incremental: wall | zfs processes | ssh connections | zfs-fuse daemon CPU |',
  '|---|---|---|---|---|---|---|',
];
for (const place of places)
  for (const [name] of picked) {
    const f = runs[`${name}|${place}|full`];
    const inc = runs[`${name}|${place}|inc`] ?? [];
    const m = (k) => median(inc.map((x) => x[k]));
    lines.push(
      `| ${name} | ${place} | ${f[0].wall.toFixed(2)} s | ${inc.length ? `${m('wall').toFixed(2)} s` : '-'} | ${inc.length ? m('zfs') : '-'} | ${inc.length ? m('ssh') : '-'} | ${inc.length ? `${m('daemon').toFixed(2)} s` : '-'} |`,
    );
  }
const out = lines.join('\n');
console.log(out);
if (process.env.OUT) writeFileSync(process.env.OUT, `${out}\n`, { flag: 'a' });

#!/usr/bin/env node
// holdfast send against the raw pipe (`zfs send | zfs receive`) and syncoid, on zfs-fuse,
// locally and over ssh to 127.0.0.1. Run by hand, as root, after `npm run build`:
//   node bench/send/run.mjs            (RUNS=5 by default; RUNS=3 for a quicker look)
// Every figure is a median of RUNS runs; ratios are against the raw pipe measured in the same
// run, interleaved. The ssh account is `hfroot` (uid 0, /bin/sh, HOME /var/lib/holdfast-ssh),
// so root's ~/.bashrc (pyenv init) does not slow the remote commands down. syncoid gets the
// zfs-fuse shim (bench/peers/zfs-shim) first on its PATH, on both ends; the others never do.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');
// HOLDFAST_BIN=/path/holdfast.cjs measures the single-file build (npm run bundle) instead.
const BIN = process.env.HOLDFAST_BIN ?? join(ROOT, 'bin/holdfast.js');
// HOLDFAST_BASE_BIN=/other/checkout/bin/holdfast.js adds that build as "holdfast base" (and
// "holdfast lzop base"), interleaved with this one: before/after a change in one run. PEERS=no
// leaves syncoid out.
const BASE_BIN = process.env.HOLDFAST_BASE_BIN;
const RUNS = Number(process.env.RUNS ?? 5);
const DATA = process.env.HF_BENCH_DATA ?? '/var/tmp/hf-bench';
const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

const sh = (cmd, opts = {}) => {
  const r = spawnSync('bash', ['-c', cmd], { encoding: 'utf8', ...opts });
  if (r.status !== 0 && !opts.ok) throw new Error(`${cmd}\n${r.stderr}`);
  return r.stdout;
};
const median = (xs) => {
  const s = [...xs].filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Time one shell command; returns seconds and its stderr.
function timed(cmd, env = {}) {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const c = spawn('bash', ['-c', cmd], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (b) => (err += b));
    c.on('close', (code) =>
      code === 0 ? res({ secs: (performance.now() - t0) / 1000, stderr: err }) : rej(new Error(`${cmd} → ${code}\n${err}`)),
    );
  });
}

// --- set-up: data files first (never streamed from /dev/urandom into a timed run) -----------
mkdirSync(DATA, { recursive: true });
function dataFile(name, bytes, make) {
  const p = join(DATA, name);
  if (!existsSync(p) || Number(sh(`stat -c %s ${p}`)) !== bytes) make(p);
  return p;
}
const rand1g = dataFile('rand-1g.bin', GiB, (p) => sh(`head -c ${GiB} /dev/urandom > ${p}`));
const rand100 = dataFile('rand-100m.bin', 100 * MiB, (p) => sh(`head -c ${100 * MiB} /dev/urandom > ${p}`));
// Compressible: lines of words from a small vocabulary (lzop gets ~3:1 on it).
const compMake = (bytes) => (p) =>
  sh(`python3 -c "
import random,sys
random.seed(7); w=[''.join(random.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(random.randint(2,9))) for _ in range(4000)]
out=open('${p}','wb'); n=0
while n < ${bytes}:
    line=(' '.join(random.choice(w) for _ in range(12))+'\\n').encode(); out.write(line); n+=len(line)
out.truncate(${bytes})"`);
const comp1g = dataFile('comp-1g.bin', GiB, compMake(GiB));
const comp100 = dataFile('comp-100m.bin', 100 * MiB, compMake(100 * MiB));

if (sh('zpool list -H', { ok: true }) === '' && spawnSync('zpool', ['list']).status !== 0)
  sh('zfs-fuse --pidfile /run/zfs-fuse.pid && sleep 2');
const tag = Math.random().toString(16).slice(2, 8);
const SRC = `hfbs${tag}`;
const DST = `hfbd${tag}`;
for (const [p, size] of [
  [SRC, '3G'],
  [DST, '9G'],
])
  sh(`truncate -s ${size} ${DATA}/${p}.img && zpool create -m ${DATA}/mnt/${p} ${p} ${DATA}/${p}.img`);
const cleanup = [() => sh(`for p in ${SRC} ${DST}; do zfs unmount -a; zpool destroy -f $p; rm -f ${DATA}/$p.img; done`, { ok: true })];
process.on('exit', () => cleanup.reverse().forEach((f) => f()));
process.on('SIGINT', () => process.exit(130));

const DATASETS = [
  ['rand', rand1g, rand100],
  ['comp', comp1g, comp100],
];
for (const [ds, big] of DATASETS) sh(`zfs create ${SRC}/${ds} && cp ${big} ${DATA}/mnt/${SRC}/${ds}/big && zfs snapshot ${SRC}/${ds}@s1`);
// After the full sends: 100 MiB more (s2), then nothing more (s3: an empty incremental).
const addIncrements = () => {
  // (zfs-fuse unmounts a busy source now and then: mount it again first)
  for (const [ds, , inc] of DATASETS)
    sh(
      `zfs mount ${SRC}/${ds} 2>/dev/null; cp ${inc} ${DATA}/mnt/${SRC}/${ds}/inc && zfs snapshot ${SRC}/${ds}@s2 && zfs snapshot ${SRC}/${ds}@s3`,
    );
};
const streamBytes = (args) => Number(sh(`zfs send ${args} | wc -c`).trim());

// --- sshd on 127.0.0.1: a plain one, and one whose sessions see the zfs shim first (syncoid) ---
sh(
  `id hfroot >/dev/null 2>&1 || useradd -o -u 0 -g 0 -M -d /var/lib/holdfast-ssh -s /bin/sh hfroot; usermod -p '*' hfroot; mkdir -p /var/lib/holdfast-ssh /run/sshd`,
);
const sshDir = mkdtempSync(join(tmpdir(), 'hf-bench-ssh-'));
sh(
  `ssh-keygen -q -t ed25519 -N '' -f ${sshDir}/host && ssh-keygen -q -t ed25519 -N '' -f ${sshDir}/client && cp ${sshDir}/client.pub ${sshDir}/authorized_keys`,
);
const shimDir = join(sshDir, 'shim');
mkdirSync(shimDir);
copyFileSync(join(ROOT, 'bench/peers/zfs-shim'), join(shimDir, 'zfs'));
chmodSync(join(shimDir, 'zfs'), 0o755);
const hostKey = readFileSync(`${sshDir}/host.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
function startSshd(port, extra) {
  sh(
    `/usr/sbin/sshd -f /dev/null -o ListenAddress=127.0.0.1:${port} -o HostKey=${sshDir}/host -o AuthorizedKeysFile=${sshDir}/authorized_keys -o PermitRootLogin=prohibit-password -o PasswordAuthentication=no -o PidFile=${sshDir}/sshd-${port}.pid -o StrictModes=no -o UseDNS=no ${extra}`,
  );
  writeFileSync(`${sshDir}/known_hosts`, `[127.0.0.1]:${port} ${hostKey}\n`, { flag: 'a' });
  cleanup.push(() => sh(`kill $(cat ${sshDir}/sshd-${port}.pid)`, { ok: true }));
}
const PORT = 20000 + Math.floor(Math.random() * 20000);
const SHIM_PORT = PORT + 1;
startSshd(PORT, '');
startSshd(SHIM_PORT, `-o SetEnv=PATH=${shimDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`);
cleanup.push(() => rmSync(sshDir, { recursive: true, force: true }));
const sshOpts = `-i ${sshDir}/client -o UserKnownHostsFile=${sshDir}/known_hosts -o LogLevel=ERROR -o BatchMode=yes`;
const hfSsh = ['-i', `${sshDir}/client`, '-o', `UserKnownHostsFile=${sshDir}/known_hosts`, '-o', 'LogLevel=ERROR'];
sh(`ssh ${sshOpts} -p ${PORT} hfroot@127.0.0.1 true`);

// --- the contenders ---------------------------------------------------------------------------
const locks = mkdtempSync(join(tmpdir(), 'hf-bench-lock-'));
const q = (a) => a.map((x) => `'${x}'`).join(' ');
const hf = (src, dst, extra = [], bin = BIN) => `node ${bin} --lock-dir ${locks} send -s ${src} -d ${dst} ${q([...hfSsh, ...extra])}`;
const holdfastTools = (bin, suffix) => ({
  [`holdfast${suffix}`]: {
    full: (ds, d, remote) =>
      hf(
        `${SRC}/${ds}`,
        remote ? `ssh:${PORT}:hfroot@127.0.0.1:${DST}/${d}` : `${DST}/${d}`,
        ['--dest-auto-create', '-c', 'none', '--no-clean'],
        bin,
      ),
    inc: (ds, d, remote) =>
      hf(`${SRC}/${ds}`, remote ? `ssh:${PORT}:hfroot@127.0.0.1:${DST}/${d}` : `${DST}/${d}`, ['-c', 'none', '--no-clean'], bin),
  },
  [`holdfast lzop${suffix}`]: {
    remoteOnly: true,
    full: (ds, d) => hf(`${SRC}/${ds}`, `ssh:${PORT}:hfroot@127.0.0.1:${DST}/${d}`, ['--dest-auto-create', '--no-clean'], bin),
    inc: (ds, d) => hf(`${SRC}/${ds}`, `ssh:${PORT}:hfroot@127.0.0.1:${DST}/${d}`, ['--no-clean'], bin),
  },
});
const tools = {
  raw: {
    full: (ds, d, remote) =>
      `zfs send ${SRC}/${ds}@s1 | ${remote ? `ssh ${sshOpts} -p ${PORT} hfroot@127.0.0.1 ` : ''}zfs receive -u ${DST}/${d}`,
    inc: (ds, d, remote, from, to) =>
      `zfs send -i ${SRC}/${ds}@${from} ${SRC}/${ds}@${to} | ${remote ? `ssh ${sshOpts} -p ${PORT} hfroot@127.0.0.1 ` : ''}zfs receive -u ${DST}/${d}`,
  },
  ...holdfastTools(BIN, ''),
  ...(BASE_BIN ? holdfastTools(BASE_BIN, ' base') : {}),
  ...(process.env.PEERS === 'no' ? {} : { syncoid: syncoid() }),
};
function syncoid() {
  return {
    env: { PATH: `${shimDir}:${process.env.PATH}`, ZFS_REAL: '/usr/sbin/zfs' },
    full: (ds, d, remote) =>
      `syncoid --quiet --no-sync-snap --no-resume --no-privilege-elevation --compress=none ${remote ? `--sshkey=${sshDir}/client --sshport=${SHIM_PORT} --sshoption=UserKnownHostsFile=${sshDir}/known_hosts ` : ''}${SRC}/${ds} ${remote ? 'hfroot@127.0.0.1:' : ''}${DST}/${d}`,
    inc: (ds, d, remote) => tools.syncoid.full(ds, d, remote),
  };
}

// Destination state between runs: none (full), or exactly at `base` (incremental), no holds.
// holdfast holds its bases with the destination's tag; release exactly those.
function releaseHolds(tagName, datasets) {
  for (const ds of datasets) {
    const out = sh(`zfs get -Hp -r -o name,value userrefs ${ds} 2>/dev/null`, { ok: true });
    for (const l of out.split('\n')) {
      const [n, v] = l.split('\t');
      if (n?.includes('@') && Number(v) > 0) sh(`zfs release '${tagName}' '${n}' 2>/dev/null`, { ok: true });
    }
  }
}
function destroy(ds) {
  sh(`zfs unmount -f ${ds} 2>/dev/null; zfs destroy -r ${ds} 2>/dev/null || (sleep 0.5; zfs destroy -r ${ds})`, { ok: true });
}
function atBase(d, ds, base) {
  const have = sh(`zfs list -H -o name -t snapshot -d 1 ${DST}/${d} 2>/dev/null`, { ok: true });
  if (!have.includes(`@${base}`)) {
    destroy(`${DST}/${d}`);
    sh(`zfs send -R ${SRC}/${ds}@${base} | zfs receive -u ${DST}/${d}`);
  }
  sh(`zfs rollback -r ${DST}/${d}@${base}`);
}

const results = [];
async function scenario(kind, ds, remote) {
  const bytes =
    kind === 'full'
      ? streamBytes(`${SRC}/${ds}@s1`)
      : kind === 'inc'
        ? streamBytes(`-i ${SRC}/${ds}@s1 ${SRC}/${ds}@s2`)
        : streamBytes(`-i ${SRC}/${ds}@s2 ${SRC}/${ds}@s3`);
  const names = Object.keys(tools).filter((t) => (remote || !tools[t].remoteOnly) && (kind !== 'tiny' || t !== 'syncoid'));
  const secs = Object.fromEntries(names.map((t) => [t, []]));
  const extra = Object.fromEntries(names.map((t) => [t, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const t of names) {
      const d = `${t.replaceAll(' ', '_')}-${kind}-${ds[0]}${remote ? 's' : 'l'}`;
      const holdTag = remote ? `holdfast:hfroot@127.0.0.1:${PORT}:${DST}/${d}` : `holdfast:${DST}/${d}`;
      if (t.startsWith('holdfast')) releaseHolds(holdTag, [`${SRC}/${ds}`, `${DST}/${d}`]);
      const [from, to] = kind === 'inc' ? ['s1', 's2'] : ['s2', 's3'];
      if (kind === 'full') destroy(`${DST}/${d}`);
      else atBase(d, ds, from);
      const cmd = kind === 'full' ? tools[t].full(ds, d, remote) : tools[t].inc(ds, d, remote, from, to);
      let r;
      try {
        r = await timed(cmd, tools[t].env ?? {});
      } catch (e) {
        console.error(`${t} failed (${kind} ${ds} ${remote ? 'ssh' : 'local'}): ${e.message.split('\n').slice(0, 4).join(' | ')}`);
        secs[t].push(Number.NaN);
        continue;
      }
      secs[t].push(r.secs);
      const m = /\((\d+) zfs processes, node CPU ([\d.]+) s\)/.exec(r.stderr);
      // holdfast times each pipeline itself: the stream's own time, without start-up and listing
      const streamSecs = [...r.stderr.matchAll(/^.* INFO  sent .* in ([\d.]+) s/gm)].reduce((n, x) => n + Number(x[1]), 0);
      if (m) extra[t].push({ zfs: Number(m[1]), cpu: Number(m[2]), stream: streamSecs });
      if (kind === 'full') {
        if (t.startsWith('holdfast')) releaseHolds(holdTag, [`${SRC}/${ds}`, `${DST}/${d}`]);
        destroy(`${DST}/${d}`); // room for the next one
      }
    }
  }
  if (kind !== 'full') {
    // room for the next scenario: drop this one's destination copies
    for (const t of names) {
      const d = `${t.replaceAll(' ', '_')}-${kind}-${ds[0]}${remote ? 's' : 'l'}`;
      if (t.startsWith('holdfast'))
        releaseHolds(remote ? `holdfast:hfroot@127.0.0.1:${PORT}:${DST}/${d}` : `holdfast:${DST}/${d}`, [`${SRC}/${ds}`, `${DST}/${d}`]);
      destroy(`${DST}/${d}`);
    }
  }
  const raw = median(secs.raw);
  for (const t of names) {
    const s = median(secs[t]);
    const e = extra[t].length
      ? { zfs: median(extra[t].map((x) => x.zfs)), cpu: median(extra[t].map((x) => x.cpu)), stream: median(extra[t].map((x) => x.stream)) }
      : undefined;
    results.push({
      kind,
      ds,
      where: remote ? 'ssh' : 'local',
      tool: t,
      secs: s,
      mibs: bytes / MiB / s,
      ratio: raw / s,
      over: s - raw,
      e,
      bytes,
    });
  }
  print(results.filter((r) => r.kind === kind && r.ds === ds && r.where === (remote ? 'ssh' : 'local')));
}

function print(rows) {
  for (const r of rows) {
    const size = r.bytes >= GiB / 2 ? `${(r.bytes / GiB).toFixed(2)} GiB` : `${(r.bytes / MiB).toFixed(1)} MiB`;
    const perf =
      r.kind === 'tiny' ? `+${(r.over * 1000).toFixed(0)} ms over raw` : `${r.mibs.toFixed(0)} MiB/s, ${r.ratio.toFixed(2)}× raw`;
    const stream =
      r.e && r.kind !== 'tiny' && r.e.stream > 0
        ? `; stream alone ${r.e.stream.toFixed(2)} s = ${(r.bytes / MiB / r.e.stream).toFixed(0)} MiB/s, ${(results.find((x) => x.kind === r.kind && x.ds === r.ds && x.where === r.where && x.tool === 'raw').secs / r.e.stream).toFixed(2)}× raw`
        : '';
    const e = r.e ? `  [${r.e.zfs} zfs processes, node CPU ${r.e.cpu.toFixed(2)} s${stream}]` : '';
    console.log(
      `${r.kind.padEnd(5)} ${r.ds} ${r.where.padEnd(5)} ${size.padStart(10)}  ${r.tool.padEnd(14)} ${r.secs.toFixed(2).padStart(6)} s  ${perf}${e}`,
    );
  }
}

console.log(`holdfast send bench: ${RUNS} runs each, medians; zfs-fuse pools ${SRC} → ${DST}; ssh account hfroot (/bin/sh) on 127.0.0.1`);
// ONLY=inc skips the (long) full sends.
if (process.env.ONLY !== 'inc') for (const remote of [false, true]) for (const ds of ['rand', 'comp']) await scenario('full', ds, remote);
addIncrements();
for (const remote of [false, true]) {
  for (const ds of ['rand', 'comp']) await scenario('inc', ds, remote);
  await scenario('tiny', 'rand', remote);
}
writeFileSync(
  join(HERE, `last-run${process.env.ONLY ? `-${process.env.ONLY}` : ''}.json`),
  JSON.stringify({ date: new Date().toISOString(), runs: RUNS, results }, null, 2),
);

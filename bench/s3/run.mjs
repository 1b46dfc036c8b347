#!/usr/bin/env node
// bench/s3: `holdfast send` streaming a 2 GiB dataset (zfs send → store → Swift's S3 API) against
// the same SDK uploading the same bytes from a file (same part size, same concurrency: the
// server's own ingest ceiling); the peak RSS of holdfast against its memory bound; and
// `holdfast restore` against a plain GetObject download. Everything in one run, as ratios.
//
//   npm run build && node bench/s3/run.mjs          # as root; needs zfs-fuse and python3-swift
//   BENCH_GIB=0.5 BENCH_RUNS=1 node bench/s3/run.mjs  # a quick look
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..');
const BIN = join(ROOT, 'bin/holdfast.js');
const MiB = 2 ** 20;
const SIZE = Math.round(Number(process.env.BENCH_GIB ?? 2) * 1024) * MiB;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PART = 16 * MiB; // holdfast's default base part size (auto: it grows only past 1000 parts)
const CONC = 4; // holdfast's default s3_concurrency
const WORK = process.env.BENCH_DIR ?? '/var/tmp/holdfast-bench-s3';
const POOL = 'hfbenchs3';

const sh = (argv, opts = {}) => {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 26, ...opts });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
};
// zfs-fuse answers "busy" for a dataset it just mounted: unmount, then retry.
const destroy = (ds) => {
  for (let i = 0; i < 10; i++) {
    spawnSync('zfs', ['unmount', '-f', ds]);
    if (spawnSync('zfs', ['destroy', '-r', ds]).status === 0) return;
    spawnSync('sleep', ['0.5']);
  }
  throw new Error(`cannot destroy ${ds}`);
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (m) => process.stderr.write(`[bench] ${m}\n`);

// A child process timed from spawn to exit, its peak RSS (VmHWM) polled from /proc.
function measured(argv, env, stdinFile) {
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { env, stdio: [stdinFile ? openSync(stdinFile, 'r') : 'ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let hwm = 0;
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]) / 1024);
      } catch {}
    }, 20);
    child.on('close', (code) => {
      clearInterval(poll);
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) reject(new Error(`${argv.slice(0, 4).join(' ')} exited ${code}: ${err.slice(-2000)}`));
      else resolveRun({ seconds, peakRssMiB: hwm, out, err });
    });
  });
}

async function startSwift(dir) {
  const port = 21000 + Math.floor(Math.random() * 20000);
  const child = spawn(
    '/usr/bin/python3',
    [
      join(ROOT, 'test/lab/swift/swift_saio.py'),
      '--port',
      String(port),
      '--dir',
      dir,
      '--max-parts',
      '10000',
      '--watch-pid',
      String(process.pid),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const ready = await new Promise((res, rej) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      for (const line of buf.split('\n')) if (line.includes('"ready": true')) res(JSON.parse(line));
    });
    child.on('exit', (c) => rej(new Error(`swift exited ${c}`)));
  });
  return { ...ready, stop: () => child.kill('SIGTERM') };
}

async function main() {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  spawnSync('zpool', ['destroy', '-f', POOL]);
  const sw = await startSwift(join(WORK, 'swift'));
  const cleanup = () => {
    sw.stop();
    spawnSync('zpool', ['destroy', '-f', POOL]);
  };
  process.on('exit', cleanup);
  try {
    log(`Swift at ${sw.endpoint}; zfs-fuse pool with ${SIZE / MiB} MiB of pre-generated random data`);
    sh(['truncate', '-s', `${Math.ceil((SIZE * 2.6) / MiB) + 512}M`, join(WORK, 'pool.img')]);
    sh(['zpool', 'create', '-m', join(WORK, 'mnt'), POOL, join(WORK, 'pool.img')]);
    sh(['zfs', 'create', '-o', 'compression=off', `${POOL}/data`]);
    const fd = openSync(join(WORK, 'mnt/data/random.bin'), 'w');
    for (let done = 0; done < SIZE; done += 8 * MiB) writeSync(fd, randomBytes(Math.min(8 * MiB, SIZE - done)));
    closeSync(fd);
    sh(['zfs', 'snapshot', `${POOL}/data@bench`]);
    const stream = join(WORK, 'stream.zfs');
    const t0 = performance.now();
    sh(['sh', '-c', `zfs send ${POOL}/data@bench > ${stream}`]);
    const sendSecs = (performance.now() - t0) / 1000;
    const streamBytes = Number(sh(['stat', '-c', '%s', stream]).trim());
    log(`zfs send to a file: ${(streamBytes / 1e6 / sendSecs).toFixed(0)} MB/s (${streamBytes} bytes)`);

    const bucket = 'bench';
    const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
    const admin = new S3Client({
      endpoint: sw.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: sw.accessKeyId, secretAccessKey: sw.secretAccessKey },
    });
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    admin.destroy();
    const creds = join(WORK, 'credentials');
    writeFileSync(creds, `[default]\naws_access_key_id = ${sw.accessKeyId}\naws_secret_access_key = ${sw.secretAccessKey}\n`, {
      mode: 0o600,
    });
    chmodSync(creds, 0o600);
    const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', TZ: 'UTC' };
    const sdkEnv = (extra) => ({
      ...env,
      BENCH_ENDPOINT: sw.endpoint,
      BENCH_KEY_ID: sw.accessKeyId,
      BENCH_SECRET: sw.secretAccessKey,
      BENCH_BUCKET: bucket,
      BENCH_PART: String(PART),
      BENCH_CONCURRENCY: String(CONC),
      ...extra,
    });
    const child = join(ROOT, 'bench/s3/sdk-child.mjs');
    await measured([process.execPath, child], sdkEnv({ BENCH_OP: 'upload', BENCH_FILE: creds, BENCH_KEY: 'warmup' })); // creates nothing big; checks the set-up

    const conf = (prefix, extra = '') => {
      const path = join(WORK, `${prefix}.conf`);
      writeFileSync(
        path,
        `[s3://${bucket}/${prefix}]\ns3_endpoint = ${sw.endpoint}\ns3_credentials_file = ${creds}\ns3_concurrency = ${CONC}\ns3_part_size = ${PART / MiB}M\n${extra || 'store_compress = none\n'}`,
      );
      return path;
    };
    const rows = { sdk: [], hfUploader: [], holdfast: [], hfZstdEnc: [] };
    const keyFile = join(WORK, 'bench.key');
    writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
    chmodSync(keyFile, 0o600);
    // The bound needs holdfast's resting RSS with the SDK loaded: one small status run.
    const idle = await measured(
      [process.execPath, BIN, '--config', conf('idle'), '--lock-dir', WORK, 'status', `s3://${bucket}/idle`],
      env,
    ).catch(() => ({ peakRssMiB: NaN }));
    for (let i = 0; i < RUNS; i++) {
      // Every rate is bytes over the process's whole life, spawn to exit, for each contender.
      const s = await measured([process.execPath, child], sdkEnv({ BENCH_OP: 'upload', BENCH_FILE: stream, BENCH_KEY: `sdk-${i}` }));
      rows.sdk.push({ MBps: streamBytes / 1e6 / s.seconds, rss: s.peakRssMiB });
      log(`sdk upload from a file ${i + 1}: ${(streamBytes / 1e6 / s.seconds).toFixed(1)} MB/s, peak RSS ${s.peakRssMiB.toFixed(0)} MiB`);
      const u = await measured([process.execPath, child], sdkEnv({ BENCH_OP: 'hf-upload', BENCH_FILE: stream, BENCH_KEY: `hfu-${i}` }));
      rows.hfUploader.push({ MBps: streamBytes / 1e6 / u.seconds, rss: u.peakRssMiB });
      log(
        `holdfast's uploader from a file ${i + 1}: ${(streamBytes / 1e6 / u.seconds).toFixed(1)} MB/s, peak RSS ${u.peakRssMiB.toFixed(0)} MiB`,
      );
      const h = await measured(
        [
          process.execPath,
          BIN,
          '--config',
          conf(`hf-${i}`),
          '--lock-dir',
          WORK,
          'send',
          '-s',
          `${POOL}/data`,
          '-d',
          `s3://${bucket}/hf-${i}`,
        ],
        env,
      );
      rows.holdfast.push({ MBps: streamBytes / 1e6 / h.seconds, rss: h.peakRssMiB });
      log(
        `holdfast send (zfs send → S3) ${i + 1}: ${(streamBytes / 1e6 / h.seconds).toFixed(1)} MB/s, peak RSS ${h.peakRssMiB.toFixed(0)} MiB`,
      );
    }
    const e = await measured(
      [
        process.execPath,
        BIN,
        '--config',
        conf('hf-enc', `store_compress = zstd\nencrypt = yes\nencryption_key_file = ${keyFile}\n`),
        '--lock-dir',
        WORK,
        'send',
        '-s',
        `${POOL}/data`,
        '-d',
        `s3://${bucket}/hf-enc`,
      ],
      env,
    );
    rows.hfZstdEnc.push({ MBps: streamBytes / 1e6 / e.seconds, rss: e.peakRssMiB });
    log(
      `holdfast send with zstd + encryption: ${(streamBytes / 1e6 / e.seconds).toFixed(1)} MB/s, peak RSS ${e.peakRssMiB.toFixed(0)} MiB`,
    );

    // Restore: holdfast restore (GetObject → sha256 → zfs receive) vs a plain GetObject download,
    // and zfs receive from a local file (zfs-fuse's own ceiling).
    const restores = [];
    const gets = [];
    for (let i = 0; i < RUNS; i++) {
      const key = `hf-0/streams/${POOL}/data/@bench.full.zfs`;
      const g = await measured([process.execPath, child], sdkEnv({ BENCH_OP: 'download', BENCH_KEY: key }));
      const j = { bytes: streamBytes, seconds: g.seconds };
      gets.push(j.bytes / 1e6 / j.seconds);
      const r = await measured(
        [
          process.execPath,
          BIN,
          '--config',
          conf('hf-0'),
          'restore',
          `s3://${bucket}/hf-0`,
          `${POOL}/data@bench`,
          '--to',
          `${POOL}/restored`,
        ],
        env,
      );
      restores.push({ MBps: streamBytes / 1e6 / r.seconds, rss: r.peakRssMiB });
      log(
        `GetObject ${(j.bytes / 1e6 / j.seconds).toFixed(1)} MB/s; holdfast restore ${(streamBytes / 1e6 / r.seconds).toFixed(1)} MB/s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB`,
      );
      destroy(`${POOL}/restored`);
    }
    const rc = await measured(['zfs', 'receive', '-u', `${POOL}/fromfile`], env, stream);
    destroy(`${POOL}/fromfile`);

    const sdk = median(rows.sdk.map((r) => r.MBps));
    const hf = median(rows.holdfast.map((r) => r.MBps));
    const peak = Math.max(...rows.holdfast.map((r) => r.rss), ...rows.hfZstdEnc.map((r) => r.rss));
    const bound = (PART * (CONC + 1)) / MiB;
    const result = {
      streamMiB: +(streamBytes / MiB).toFixed(0),
      runs: RUNS,
      partMiB: PART / MiB,
      concurrency: CONC,
      zfsSendToFileMBps: +(streamBytes / 1e6 / sendSecs).toFixed(1),
      sdkUploadFromFileMBps: +sdk.toFixed(1),
      holdfastUploaderFromFileMBps: +median(rows.hfUploader.map((r) => r.MBps)).toFixed(1),
      uploaderRatio: +(median(rows.hfUploader.map((r) => r.MBps)) / sdk).toFixed(2),
      holdfastSendMBps: +hf.toFixed(1),
      ratio: +(hf / sdk).toFixed(2),
      predictedSendMBps: +(1 / (1 / sdk + sendSecs / (streamBytes / 1e6))).toFixed(1), // upload and zfs send sharing the CPUs
      holdfastZstdEncryptMBps: +rows.hfZstdEnc[0].MBps.toFixed(1),
      holdfastPeakRssMiB: +peak.toFixed(0),
      restingRssMiB: +idle.peakRssMiB.toFixed(0),
      boundMiB: `${idle.peakRssMiB.toFixed(0)} + ${bound} (part × (concurrency + 1)) = ${(idle.peakRssMiB + bound).toFixed(0)}`,
      sdkUploadPeakRssMiB: +median(rows.sdk.map((r) => r.rss)).toFixed(0),
      hfUploaderPeakRssMiB: +median(rows.hfUploader.map((r) => r.rss)).toFixed(0),
      getObjectMBps: +median(gets).toFixed(1),
      holdfastRestoreMBps: +median(restores.map((r) => r.MBps)).toFixed(1),
      restoreRatio: +(median(restores.map((r) => r.MBps)) / median(gets)).toFixed(2),
      zfsReceiveFromFileMBps: +(streamBytes / 1e6 / rc.seconds).toFixed(1),
      predictedRestoreMBps: +(1 / (1 / median(gets) + rc.seconds / (streamBytes / 1e6))).toFixed(1), // download and zfs receive sharing the CPUs
      restorePeakRssMiB: +Math.max(...restores.map((r) => r.rss)).toFixed(0),
      load: readFileSync('/proc/loadavg', 'utf8').trim(),
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    cleanup();
    if (!process.env.BENCH_KEEP) rmSync(WORK, { recursive: true, force: true });
  }
}

await main();

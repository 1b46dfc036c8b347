#!/usr/bin/python3
"""Throwaway OpenStack Swift "all in one" with the S3 API (s3api + tempauth), loopback only.

holdfast's own copy (adapted from the lab reference launcher) so `vitest --project s3` needs nothing
outside this repository. Started by test/helpers/swift.ts. Differences from the reference:
  * the data dir defaults to a fresh mkdtemp under $TMPDIR;
  * a stale log socket left by a killed run is removed, so a --keep'd dir can be restarted;
  * each server gets PR_SET_PDEATHSIG (it dies with this launcher), and with --watch-pid PID the
    launcher stops when PID is gone, so a crashed test run never leaves Swift servers behind;
  * it refuses to start if a base port is taken: Swift listens with SO_REUSEPORT, so a second
    Swift on the same ports would start silently and the kernel would split requests between them;
  * max_upload_part_num defaults to 10000 (S3's limit; Swift's own default is 1000).

Needs only Debian bookworm's python3-swift (2.30.1):
    apt-get install -y --no-install-recommends python3-swift
Run with Debian's interpreter (/usr/bin/python3), not a pyenv/venv python:
    /usr/bin/python3 swift_saio.py [--port 8080] [--dir /tmp/x] [--keep] [--watch-pid PID] [--max-parts 10000]
Prints one JSON line {"ready": true, "endpoint": ..., "accessKeyId": "test:tester", "secretAccessKey": "testing"}
on stdout when the S3 endpoint answers; SIGTERM/SIGINT stops the 4 server processes it started
(by PID) and removes the data dir unless --keep.

Layout: 1 replica, 1 device, account/container/object servers on 127.0.0.1:<port+1..3>.
No memcached: a tiny in-process dict cache (lab_cache.py) stands in for it (tempauth insists on one).
Swift logs go to <dir>/swift.log through a unix datagram socket (no syslog, no UDP).
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))

ap = argparse.ArgumentParser()
ap.add_argument('--port', type=int, default=8080)
ap.add_argument('--dir', default=None)
ap.add_argument('--keep', action='store_true')
ap.add_argument('--watch-pid', type=int, default=0, help='stop when this process (the test runner) is gone')
ap.add_argument('--max-parts', type=int, default=10000, help='s3api max_upload_part_num (Swift default is 1000!)')
args = ap.parse_args()

P = args.port
ports = {'proxy': P, 'account': P + 1, 'container': P + 2, 'object': P + 3}
for _kind, _port in ports.items():
    _probe = socket.socket()
    _probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # ignore TIME_WAIT, not listeners
    try:
        _probe.bind(('127.0.0.1', _port))  # no SO_REUSEPORT: fails if any server holds the port
    except OSError as e:
        sys.stderr.write(f'port {_port} ({_kind}) is in use: {e}\n')
        sys.exit(98)
    finally:
        _probe.close()

D = args.dir or tempfile.mkdtemp(prefix='holdfast-swift-')
ETC = os.path.join(D, 'etc')
DEV = os.path.join(D, 'srv')
RUN = os.path.join(D, 'run')
for p in (ETC, os.path.join(DEV, 'd1'), RUN, os.path.join(D, 'cache')):
    os.makedirs(p, exist_ok=True)

LOGSOCK = os.path.join(RUN, 'log.sock')

common = f"""[DEFAULT]
bind_ip = 127.0.0.1
swift_dir = {ETC}
devices = {DEV}
mount_check = false
disable_fallocate = true
workers = 0
log_address = {LOGSOCK}
log_level = INFO
recon_cache_path = {os.path.join(D, 'cache')}
eventlet_debug = false
"""

files = {
    'swift.conf': """[swift-hash]
swift_hash_path_suffix = lab-suffix
swift_hash_path_prefix = lab-prefix

[storage-policy:0]
name = gold
default = yes

[swift-constraints]
# S3 allows 5 GiB per part / PutObject
max_file_size = 5368709122
""",
    # workers = 0: each server is one process (forked proxy workers failed to start in this setup)
    'proxy-server.conf': common + f"""bind_port = {ports['proxy']}

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging labcache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
allow_account_management = true
account_autocreate = true
error_suppression_interval = 5

[filter:labcache]
paste.filter_factory = lab_cache:filter_factory

[filter:s3api]
use = egg:swift#s3api
location = us-east-1
s3_acl = false
dns_compliant_bucket_names = true
allow_multipart_uploads = true
min_segment_size = 5242880
max_upload_part_num = {args.max_parts}
max_multi_delete_objects = 1000
# DeleteObjects deletes its keys this many at a time (default 2: 1000 keys took ~25 s here)
multi_delete_concurrency = 16
# SigV2 off like modern S3 regions? keep it on; SDK v3 only speaks v4 anyway
allowable_clock_skew = 900

[filter:tempauth]
use = egg:swift#tempauth
user_admin_admin = admin .admin .reseller_admin
user_test_tester = testing .admin

[filter:healthcheck]
use = egg:swift#healthcheck
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
# S3 allows 10000 parts; SLO default max_manifest_segments is 1000
max_manifest_segments = {max(args.max_parts, 1000)}
max_manifest_size = {max(args.max_parts, 1000) * 1024}
[filter:dlo]
use = egg:swift#dlo
""",
}
for kind in ('account', 'container', 'object'):
    files[f'{kind}-server.conf'] = common + f"""bind_port = {ports[kind]}

[pipeline:main]
pipeline = {kind}-server

[app:{kind}-server]
use = egg:swift#{kind}
"""
for name, text in files.items():
    with open(os.path.join(ETC, name), 'w') as f:
        f.write(text)

# rings: 1 replica, 1 device per ring
from swift.common.ring import RingBuilder  # noqa: E402

for kind in ('account', 'container', 'object'):
    b = RingBuilder(6, 1, 1)
    b.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': ports[kind], 'device': 'd1', 'weight': 100})
    b.rebalance()
    b.get_ring().save(os.path.join(ETC, f'{kind}.ring.gz'))

# log sink: unix datagram socket -> swift.log
logsock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
if os.path.exists(LOGSOCK):
    os.unlink(LOGSOCK)  # left by a run that was killed; bind() would fail on it
logsock.bind(LOGSOCK)
logfile = open(os.path.join(D, 'swift.log'), 'ab', buffering=0)


def pump():
    while True:
        try:
            data = logsock.recv(65536)
        except OSError:
            return
        logfile.write(data.rstrip(b'\x00') + b'\n')


threading.Thread(target=pump, daemon=True).start()

env = dict(os.environ, PYTHONPATH=HERE + os.pathsep + os.environ.get('PYTHONPATH', ''))
procs = []


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def die_with_parent():
    # runs in the child between fork and exec: SIGTERM it if this launcher dies (PR_SET_PDEATHSIG = 1)
    import ctypes
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)


def port_open(port):
    try:
        socket.create_connection(('127.0.0.1', port), timeout=0.5).close()
        return True
    except OSError:
        return False


for kind in ('account', 'container', 'object', 'proxy'):
    if kind == 'proxy':
        # start the proxy only once the backends listen: a refused connection makes the proxy
        # error-limit that node for 60 s and every S3 call answers 503 "Please reduce your request rate"
        t_end = time.time() + 60
        while not all(port_open(ports[k]) for k in ('account', 'container', 'object')):
            if time.time() > t_end or any(p.poll() is not None for p in procs):
                sys.stderr.write(f'swift backends did not start; see {D}/*.stderr\n')
                break
            time.sleep(0.2)
    conf = os.path.join(ETC, f'{kind}-server.conf')
    # swift validates /etc/swift/swift.conf before it reads swift_dir from the conf: point it at ETC first
    code = (f"import sys; from swift.common import utils; utils.set_swift_dir({ETC!r}); "
            f"from swift.common.wsgi import run_wsgi; sys.exit(run_wsgi({conf!r}, '{kind}-server', verbose=False))")
    procs.append(subprocess.Popen([sys.executable, '-c', code], env=env, stdout=subprocess.DEVNULL,
                                  stderr=open(os.path.join(D, f'{kind}.stderr'), 'wb'),
                                  preexec_fn=die_with_parent))


def stop(*_):
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)  # only the children we started, by PID
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
    logsock.close()
    if not args.keep:
        shutil.rmtree(D, ignore_errors=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)

deadline = time.time() + 60
while True:
    dead = [p for p in procs if p.poll() is not None]
    if dead:
        sys.stderr.write(f'swift server exited early; see {D}/*.stderr\n')
        stop()
    try:
        if urllib.request.urlopen(f'http://127.0.0.1:{P}/healthcheck', timeout=2).status == 200:
            break
    except Exception:
        pass
    if time.time() > deadline:
        sys.stderr.write('swift did not come up in 60 s\n')
        stop()
    time.sleep(0.3)

print(json.dumps({'ready': True, 'impl': 'swift-s3api', 'version': __import__('swift').__version__,
                  'endpoint': f'http://127.0.0.1:{P}', 'accessKeyId': 'test:tester', 'secretAccessKey': 'testing',
                  'dir': D, 'pids': [p.pid for p in procs]}), flush=True)
while True:
    time.sleep(1)
    if args.watch_pid and not alive(args.watch_pid):  # whoever started us is gone: nobody will send SIGTERM
        stop()

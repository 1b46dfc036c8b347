#!/usr/bin/env bash
# The main job on demo pools: a file-backed pool (zfs-fuse unless the kernel has ZFS), a
# policy file, then `holdfast snap` as cron would run it. The demo dataset starts with a week
# of pyznap-style hourlies, so the first run both takes and prunes real snapshots.
set -euo pipefail
DEMO=${HOLDFAST_DEMO_DIR:-/var/lib/holdfast-demo}
POOL=${HOLDFAST_DEMO_POOL:-hfdemo}
mkdir -p "$DEMO"

if ! zpool list -H >/dev/null 2>&1; then
  if ! grep -qw zfs /proc/modules 2>/dev/null; then
    echo "starting zfs-fuse (no kernel ZFS here)"
    # A pidfile left by a daemon that died (or a rebooted /run kept on disk) stops zfs-fuse starting.
    if [ -f /run/zfs-fuse.pid ] && ! kill -0 "$(cat /run/zfs-fuse.pid)" 2>/dev/null; then rm -f /run/zfs-fuse.pid; fi
    zfs-fuse --pidfile /run/zfs-fuse.pid
    for _ in $(seq 50); do zpool list -H >/dev/null 2>&1 && break; sleep 0.2; done
  fi
fi

if ! zpool list -H "$POOL" >/dev/null 2>&1; then
  truncate -s 256M "$DEMO/$POOL.img"
  zpool create -m "$DEMO/mnt" "$POOL" "$DEMO/$POOL.img"
  zfs create "$POOL/home"
  zfs create "$POOL/home/alice"
  zfs create "$POOL/scratch"
  # A week of old hourlies, as a pyznap migration would leave them (named in the past).
  for d in 7 6 5 4 3 2 1; do
    zfs snapshot -r "$POOL/home@holdfast_$(date -u -d "-$d days" +%Y-%m-%d)_00:00:00_hourly"
  done
fi

cat > "$DEMO/holdfast.conf" <<CONF
[$POOL]
frequent = 4
hourly = 3
daily = 7
snap = yes
clean = yes
timezone = UTC

[$POOL/scratch]
snap = no
CONF

echo; echo "policy file: $DEMO/holdfast.conf"; cat "$DEMO/holdfast.conf"
echo; echo "\$ holdfast --config $DEMO/holdfast.conf plan"
holdfast --config "$DEMO/holdfast.conf" --lock-dir "$DEMO/lock" plan | head -30
echo; echo "\$ holdfast --config $DEMO/holdfast.conf snap"
holdfast --config "$DEMO/holdfast.conf" --lock-dir "$DEMO/lock" snap
echo; echo "\$ zfs list -t snapshot -r $POOL"
zfs list -H -o name -t snapshot -r "$POOL"
echo; echo "demo done: remove it with: zpool destroy $POOL && rm -rf $DEMO"

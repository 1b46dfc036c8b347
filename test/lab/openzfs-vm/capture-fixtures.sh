#!/bin/bash
# Regenerate the captured-output fixtures (format: test/lab/README.md).
#   capture-fixtures.sh openzfs   # in the VM (boots it if needed, leaves it as it found it)
#   capture-fixtures.sh zfs-fuse  # on this host's zfs-fuse daemon, in pools hffx_<random>_*
# Writes test/fixtures/<flavour>/*.txt (old *.txt there are replaced).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/config.sh"
FLAVOUR=${1:?usage: capture-fixtures.sh openzfs|zfs-fuse}
DEST="$REPO_ROOT/test/fixtures/$FLAVOUR"
STAGE=$(mktemp -d /tmp/hffx-capture.XXXXXX)
trap 'rm -rf "$STAGE"' EXIT

case "$FLAVOUR" in
  openzfs)
    BOOTED=0
    if ! { [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }; then
      "$HERE/ensure-image.sh" >/dev/null; "$HERE/boot.sh"; BOOTED=1
    fi
    "$HERE/run-in-vm.sh" 'cat > /root/capture-cases.sh' < "$HERE/guest/capture-cases.sh"
    "$HERE/run-in-vm.sh" 'FLAVOUR=openzfs OUT=/root/fixtures bash /root/capture-cases.sh'
    "$HERE/run-in-vm.sh" 'tar -C /root/fixtures -cf - . && rm -rf /root/fixtures' | tar -C "$STAGE" -xf -
    [ "$BOOTED" = 0 ] || "$HERE/stop.sh"
    ;;
  zfs-fuse)
    zpool list >/dev/null 2>&1 || { echo "zfs-fuse is not answering (zfs-fuse --pidfile /run/zfs-fuse.pid)" >&2; exit 1; }
    FLAVOUR=zfs-fuse OUT="$STAGE" bash "$HERE/guest/capture-cases.sh"
    ;;
  *) echo "usage: capture-fixtures.sh openzfs|zfs-fuse" >&2; exit 2 ;;
esac

mkdir -p "$DEST"
rm -f "$DEST"/*.txt
cp "$STAGE"/*.txt "$DEST"/
echo "wrote $(ls "$DEST" | wc -l) files to $DEST"

#!/bin/bash
# Make sure a bootable OpenZFS VM image is in $OUTDIR ($CACHE/out). Sources, in order:
#   1. $HOLDFAST_OPENZFS_IMAGE: a dir with vmlinuz, initrd.img, root.img.zst (or root.img),
#      id_ed25519 and id_ed25519.pub. If set, it must be complete (no silent fallback).
#   2. <repo>/../shared/lab/openzfs-vm/image, if it exists.
#   3. an image already in $OUTDIR (for example from an earlier build.sh).
#   4. build.sh (root + deb.debian.org; 6-10 min), unless HOLDFAST_OPENZFS_BUILD=0.
# A copied image is unpacked once; $OUTDIR/.source records where it came from, so a changed
# source is picked up again. Progress goes to stderr; on failure the last stderr line is
# "ensure-image: <reason>" and the exit status is 1. On success stdout is the $OUTDIR path.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/config.sh"

die() { echo "ensure-image: $*" >&2; exit 1; }
FILES=(vmlinuz initrd.img id_ed25519 id_ed25519.pub)

complete_out() { # the out dir holds everything boot.sh needs
  local f; for f in "${FILES[@]}" root.img; do [ -f "$OUTDIR/$f" ] || return 1; done
}
src_problem() { # prints what a source dir lacks, nothing when it is complete
  local d=$1 f
  [ -d "$d" ] || { echo "$d is not a directory"; return; }
  for f in "${FILES[@]}"; do [ -f "$d/$f" ] || { echo "$d lacks $f"; return; }; done
  [ -f "$d/root.img.zst" ] || [ -f "$d/root.img" ] || echo "$d lacks root.img.zst"
}
stamp_of() { # cheap identity of a source image: path, sizes, mtimes, public key
  local d=$1
  echo "src=$(cd "$d" && pwd)"
  stat -c '%n %s %Y' "$d"/vmlinuz "$d"/initrd.img "$d"/root.img* 2>/dev/null | sed "s|^$d/||"
  cat "$d/id_ed25519.pub"
}

SRC=""
if [ -n "${HOLDFAST_OPENZFS_IMAGE:-}" ]; then
  SRC=$HOLDFAST_OPENZFS_IMAGE
  case "$SRC" in /*) ;; *) SRC="$REPO_ROOT/$SRC" ;; esac   # relative = relative to the repo root
  p=$(src_problem "$SRC"); [ -z "$p" ] || die "HOLDFAST_OPENZFS_IMAGE: $p"
elif [ -z "$(src_problem "$REPO_ROOT/../shared/lab/openzfs-vm/image")" ]; then
  SRC="$REPO_ROOT/../shared/lab/openzfs-vm/image"
fi

mkdir -p "$OUTDIR" 2>/dev/null || die "cannot create $OUTDIR (set HOLDFAST_OPENZFS_CACHE to a writable dir)"
# one unpack/build at a time per cache (parallel test runs share it)
exec 9>"$CACHE/.ensure-image.lock"
flock -w 1800 9 || die "timed out waiting for the lock on $CACHE/.ensure-image.lock"

if [ -n "$SRC" ]; then
  SRC=$(cd "$SRC" && pwd)
  want=$(stamp_of "$SRC")
  if complete_out && [ "$(cat "$OUTDIR/.source" 2>/dev/null)" = "$want" ]; then
    echo "$OUTDIR"; exit 0
  fi
  command -v zstd >/dev/null || [ -f "$SRC/root.img" ] || die "zstd not installed (apt-get install zstd)"
  avail_kb=$(df -Pk "$OUTDIR" | awk 'NR==2{print $4}')
  [ "${avail_kb:-0}" -ge 1500000 ] || die "less than 1.5 GB free in $OUTDIR"
  echo "ensure-image: unpacking $SRC into $OUTDIR" >&2
  rm -f "$OUTDIR/.source"
  for f in "${FILES[@]}" kernel-version.txt zfs-module-version.txt; do
    [ -f "$SRC/$f" ] || continue
    install -m 0644 "$SRC/$f" "$OUTDIR/$f.tmp" && mv -f "$OUTDIR/$f.tmp" "$OUTDIR/$f"
  done
  chmod 0600 "$OUTDIR/id_ed25519"   # ssh refuses a private key that others can read
  # new inode via rename: a VM still running from the old root.img keeps its file
  if [ -f "$SRC/root.img.zst" ]; then
    zstd -q -f -d --long=27 --sparse "$SRC/root.img.zst" -o "$OUTDIR/root.img.tmp" || die "zstd could not unpack $SRC/root.img.zst"
  else
    cp --sparse=always "$SRC/root.img" "$OUTDIR/root.img.tmp"
  fi
  chmod 0644 "$OUTDIR/root.img.tmp"   # zstd copies the source's read-only mode; PERSIST=1 needs rw
  mv -f "$OUTDIR/root.img.tmp" "$OUTDIR/root.img"
  echo "$want" > "$OUTDIR/.source"
  echo "$OUTDIR"; exit 0
fi

if complete_out; then chmod 0600 "$OUTDIR/id_ed25519"; echo "$OUTDIR"; exit 0; fi

# nothing to copy, nothing cached: build it, if this machine can
[ "${HOLDFAST_OPENZFS_BUILD:-1}" != 0 ] || die "no image (set HOLDFAST_OPENZFS_IMAGE) and building is disabled (HOLDFAST_OPENZFS_BUILD=0)"
[ "$(id -u)" = 0 ] || die "no image (set HOLDFAST_OPENZFS_IMAGE) and build.sh needs root"
host=${MIRROR#*://}; host=${host%%/*}
timeout 10 bash -c "exec 3<>/dev/tcp/$host/80" 2>/dev/null \
  || die "no image (set HOLDFAST_OPENZFS_IMAGE) and $host is unreachable, so build.sh cannot run"
avail_kb=$(df -Pk "$CACHE" | awk 'NR==2{print $4}')
[ "${avail_kb:-0}" -ge 3500000 ] || die "no image and less than 3.5 GB free in $CACHE for build.sh"
echo "ensure-image: no prebuilt image; running build.sh (6-10 min, log in $OUTDIR/build.log)" >&2
"$HERE/build.sh" > "$OUTDIR/build.log" 2>&1 || die "build.sh failed: $(tail -1 "$OUTDIR/build.log")"
complete_out || die "build.sh finished but $OUTDIR is incomplete"
chmod 0600 "$OUTDIR/id_ed25519"
echo build > "$OUTDIR/.source"
echo "$OUTDIR"

#!/bin/bash
# Boot the OpenZFS VM in the background and wait until sshd answers and zfs.ko is loaded.
#   boot.sh            # root disk in snapshot mode: every boot starts from the pristine image
#   PERSIST=1 boot.sh  # write guest changes back into root.img
#   FRESH_DATA=1 boot.sh  # recreate the empty scratch disks (/dev/vdb ...)
#   SSH_PORT=10023 boot.sh  # a second VM (own run dir $CACHE/run-$SSH_PORT)
# Needs the image in $OUTDIR: run ensure-image.sh first (it resolves/unpacks or builds it).
# Prints the seconds from qemu start until ssh+zfs were ready.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/config.sh"
mkdir -p "$RUNDIR"

if [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "VM already running (pid $(cat "$PIDFILE"))"; exit 0
fi
rm -f "$PIDFILE" "$MONITOR_SOCK"

# prebuilt, compressed image only? unpack it once
if [ ! -f "$ROOT_IMG" ] && [ -f "$ROOT_IMG.zst" ]; then
  echo "unpacking $ROOT_IMG.zst"; zstd -q -d --long=27 --sparse "$ROOT_IMG.zst" -o "$ROOT_IMG"
fi
for f in "$OUTDIR/vmlinuz" "$OUTDIR/initrd.img" "$ROOT_IMG" "$SSH_KEY"; do
  [ -f "$f" ] || { echo "missing $f - run ensure-image.sh (or build.sh) first" >&2; exit 1; }
done
command -v qemu-system-x86_64 >/dev/null || { echo "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)" >&2; exit 1; }

if port_busy "$SSH_PORT"; then
  echo "127.0.0.1:$SSH_PORT is already in use; set SSH_PORT=<free port>" >&2; exit 1
fi

# accelerator: real KVM needs kvm_intel/kvm_amd. kvm_pvm (Firecracker hosts) only runs
# PVM-enlightened guest kernels fast; a stock kernel is instruction-emulated (~3M instr/s).
if [ "$ACCEL" = auto ]; then
  if [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then ACCEL=kvm; else ACCEL=tcg; fi
fi
case "$ACCEL" in
  kvm) ACCEL_ARGS=(-accel kvm -cpu host) ;;
  # NB: keep plain "max". With "max,svm=off" (qemu 7.2 TCG) systemd units that use mount
  # namespaces (udevd, networkd) fail with EBUSY on /proc/sys/kernel/domainname.
  tcg) ACCEL_ARGS=(-accel tcg,thread=multi -cpu max) ;;
  *) echo "ACCEL must be auto, kvm or tcg" >&2; exit 1 ;;
esac

# Fixed PCI slots so the guest names are stable: root = /dev/vda (slot 4),
# data disk i = /dev/vd[b,c,...] (slot 4+i), also /dev/disk/by-id/virtio-zfsdata<i>.
ROOT_DRIVE="file=$ROOT_IMG,if=none,id=root,format=raw,cache=unsafe"
[ "${PERSIST:-0}" = 1 ] || ROOT_DRIVE="$ROOT_DRIVE,snapshot=on"
DISK_ARGS=(-drive "$ROOT_DRIVE" -device virtio-blk-pci,drive=root,addr=0x4)
for i in $(seq 1 "$DATA_DISKS"); do
  img="${DATA_IMG%.img}$i.img"
  if [ "${FRESH_DATA:-0}" = 1 ] || [ ! -f "$img" ]; then rm -f "$img"; truncate -s "$DATA_SIZE" "$img"; fi
  DISK_ARGS+=(-drive "file=$img,if=none,id=data$i,format=raw,cache=unsafe,discard=unmap"
              -device "virtio-blk-pci,drive=data$i,serial=zfsdata$i,addr=$(printf '0x%x' $((4 + i)))")
done

: > "$SERIAL_LOG"
T0=$(date +%s%N)
qemu-system-x86_64 -name openzfs-vm -machine pc "${ACCEL_ARGS[@]}" -smp "$VM_CPUS" -m "$VM_MEM" \
  -nodefaults -display none -no-reboot \
  -kernel "$OUTDIR/vmlinuz" -initrd "$OUTDIR/initrd.img" \
  -append "root=/dev/vda rw console=ttyS0 net.ifnames=0 ${KERNEL_ARGS-quiet systemd.show_status=false}" \
  "${DISK_ARGS[@]}" \
  -netdev "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$SSH_PORT-:22" -device virtio-net-pci,netdev=n0,addr=0x3 \
  -device virtio-rng-pci,addr=0x2 \
  -serial "file:$SERIAL_LOG" -monitor "unix:$MONITOR_SOCK,server,nowait" \
  -pidfile "$PIDFILE" -daemonize
echo "qemu pid $(cat "$PIDFILE") accel=$ACCEL cpus=$VM_CPUS mem=${VM_MEM}M ssh=127.0.0.1:$SSH_PORT"

# shellcheck disable=SC2046
while :; do
  if ssh $(ssh_opts) root@127.0.0.1 test -e /run/lab-ready 2>/dev/null; then break; fi
  if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then echo "qemu exited; see $SERIAL_LOG" >&2; tail -20 "$SERIAL_LOG" >&2; exit 1; fi
  if grep -q 'Dropping to a shell' "$SERIAL_LOG"; then
    echo "guest initramfs could not mount the root fs; see $SERIAL_LOG (VM left running, use stop.sh)" >&2; tail -20 "$SERIAL_LOG" >&2; exit 1
  fi
  if [ $(( ($(date +%s%N) - T0) / 1000000000 )) -ge "$BOOT_TIMEOUT" ]; then
    echo "timeout after ${BOOT_TIMEOUT}s waiting for ssh; see $SERIAL_LOG" >&2; exit 1
  fi
  sleep 1
done
ms=$(( ($(date +%s%N) - T0) / 1000000 ))
printf 'VM ready after %d.%03ds (guest uptime at ready: %ss)\n' $((ms / 1000)) $((ms % 1000)) \
  "$(ssh $(ssh_opts) root@127.0.0.1 "cut -d' ' -f1 /run/lab-ready")"

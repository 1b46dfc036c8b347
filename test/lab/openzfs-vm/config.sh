# Shared settings for holdfast's OpenZFS-in-qemu lab scripts. Sourced by the other scripts.
# Every value can be overridden from the environment. See test/lab/README.md.

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$LAB_DIR/../../.." && pwd)"

# Large artifacts live outside the repository (never commit the image).
: "${CACHE:=${HOLDFAST_OPENZFS_CACHE:-/var/cache/holdfast-lab/openzfs-vm}}"
: "${ROOTFS:=$CACHE/rootfs}"            # debootstrapped bookworm tree (build input)
: "${OUTDIR:=$CACHE/out}"               # kernel, initrd, root image, ssh key
: "${MIRROR:=http://deb.debian.org/debian}"
: "${SUITE:=bookworm}"
: "${EXTRA_PACKAGES:=}"                  # e.g. "nodejs rsync" - extra Debian packages for the guest
: "${SLIM_MODULES:=1}"                   # 1 = delete kernel modules for hardware a qemu VM never has

: "${ROOT_IMG:=$OUTDIR/root.img}"        # ext4 root filesystem (raw)
: "${ROOT_SIZE:=2G}"                     # size of the ext4 root image (sparse)
: "${DATA_SIZE:=8G}"
: "${DATA_DISKS:=2}"                     # /dev/vdb, /dev/vdc, ... inside the guest

: "${SSH_PORT:=10022}"                   # hostfwd 127.0.0.1:$SSH_PORT -> guest:22
# One run dir per port, so two VMs (two test runs) on different ports never share a pidfile
# or data disks; the read-only root image is shared (each VM writes to its own overlay).
: "${RUNDIR:=$CACHE/run-$SSH_PORT}"      # pidfile, serial log, monitor socket, data disks
: "${DATA_IMG:=$RUNDIR/data.img}"        # scratch disk(s) handed to the guest for zpools
: "${VM_MEM:=4096}"                      # MiB
: "${VM_CPUS:=2}"
# ACCEL: auto | kvm | tcg.  auto = kvm only when a VT-x/AMD-V KVM module (kvm_intel/kvm_amd)
# is loaded; the Firecracker hosts only have kvm_pvm, which cannot run a stock Debian
# kernel at usable speed (see README), so auto falls back to tcg there.
: "${ACCEL:=auto}"
: "${BOOT_TIMEOUT:=600}"                 # seconds boot.sh waits for sshd

SSH_KEY="$OUTDIR/id_ed25519"
PIDFILE="$RUNDIR/qemu.pid"
SERIAL_LOG="$RUNDIR/serial.log"
MONITOR_SOCK="$RUNDIR/monitor.sock"

ssh_opts() {
  echo "-F /dev/null -i $SSH_KEY -p $SSH_PORT -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=5 -o BatchMode=yes"
}

# port_busy PORT: true when something listens on 127.0.0.1:PORT (ss if present, else a connect).
port_busy() {
  if command -v ss >/dev/null 2>&1; then
    ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

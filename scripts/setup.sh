#!/usr/bin/env bash
# One command for a fresh Debian bookworm machine with Node 20, as root: install the system
# packages holdfast and its test lanes use, build holdfast, put it on PATH, and run the main job
# (`holdfast snap`) on file-backed demo pools when the host has no kernel ZFS.
#   bash scripts/setup.sh            # everything
#   HOLDFAST_NO_DEMO=1 bash scripts/setup.sh   # install and build only
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

log() { printf '\n== %s\n' "$*"; }

[ "$(id -u)" = 0 ] || { echo "setup.sh: run as root (zfs, loop devices and apt need it)" >&2; exit 2; }

PKGS=(
  zfs-fuse                                  # real ZFS in user space (pool v23) where the kernel has none
  openssh-server openssh-client             # ssh transport and its test sshd
  rsync btrfs-progs                         # btrfs backups
  mbuffer pv lzop lz4 zstd pigz xz-utils bzip2 gzip   # the send pipeline's buffer, progress, compressors
  faketime                                  # time-travel tests
  python3-swift                             # OpenStack Swift: the S3 server the tests run against
  sanoid                                    # the peer tool the benchmarks compare with
  qemu-system-x86 qemu-utils socat          # the OpenZFS 2.1 VM lane
  util-linux procps iproute2 psmisc strace tmux man-db groff-base cron logrotate
  systemd zsh fish bash-completion          # systemd-analyze verify of the units; the shells holdfast completes in
  python3-prometheus-client                 # the reference exposition-format parser for the textfile test
  jq python3-cryptography                   # the emergency restore recipe in docs/offsite.md, run by a test
  chromium                                  # the browser test of `holdfast ui` (playwright-core drives it)
  sudo                                      # elevate = sudo: the non-root replication test
)
log "apt: installing ${#PKGS[@]} packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${PKGS[@]}"

log "npm: dependencies and build"
npm ci --no-audit --no-fund
npm run build

log "holdfast on PATH"
ln -sf "$ROOT/bin/holdfast.js" /usr/local/bin/holdfast
holdfast --version

log "man page and shell completions"
# Debian leaves completion off in new shells: bash-completion is loaded by /etc/skel's .bashrc
# but not root's, and zsh's compinit runs globally only on Ubuntu. Turn both on for every
# interactive shell of this machine (Debian's own block in /etc/bash.bashrc; Ubuntu's in zsh's).
sed -i '/^#if ! shopt -oq posix; then$/,/^#fi$/ s/^#//' /etc/bash.bashrc
if ! grep -q 'holdfast setup.sh: compinit' /etc/zsh/zshrc; then
  printf '\n%s\n' '# holdfast setup.sh: compinit for every interactive zsh (skip_global_compinit=1 in ~/.zshenv turns it off)' \
    '[[ -z "$skip_global_compinit" ]] && (( ! $+functions[compdef] )) && autoload -U compinit && compinit' >> /etc/zsh/zshrc
fi
# where man and each shell look; an older holdfast's files are updated, anyone else's kept
holdfast setup --man --completions || echo "setup.sh: some files were kept (see above); holdfast setup --man --completions --force replaces them" >&2

[ "${HOLDFAST_NO_DEMO:-0}" = 1 ] && exit 0
bash "$ROOT/scripts/demo.sh"

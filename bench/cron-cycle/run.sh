#!/usr/bin/env bash
# One cron cycle (take + prune) of holdfast and of sanoid, side by side in the same run, on the
# workload of ../shared/lab/zfs-fuse.md: 100 datasets under a root (every 5th nested one level
# deeper), 50 past snapshots each. Prints wall-time medians, zfs process counts and ratios.
#   bash bench/cron-cycle/run.sh [REPS]          (as root; zfs-fuse running)
# sanoid runs with bench/peers/zfs-shim first on its PATH (zfs-fuse lacks `zfs get -t`) and
# ZFS_SHIM_BACKDATE=1, so its age-based pruning sees the past-dated workload as old: that is a
# workload emulation, labelled as such in the output. holdfast runs against plain zfs.
# Before/after a change: BASE=/path/to/other/checkout (built) adds its holdfast as holdfast-base,
# interleaved with this one; PEERS=no leaves sanoid out.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
REPS=${1:-5}
WORK=${BENCH_DIR:-/var/tmp/holdfast-bench-cron}
HOLDFAST=(node "$ROOT/bin/holdfast.js")
BASE=${BASE:-}
PH=hfbench_h$$ PS=hfbench_s$$ # pools of this run only (zfs-fuse is one daemon for the machine)
TOOLS="holdfast${BASE:+ holdfast-base}"
[ "${PEERS:-yes}" = no ] || TOOLS+=" sanoid-yes sanoid-zfs"
mkdir -p "$WORK"
[ "${PEERS:-yes}" = no ] || command -v sanoid >/dev/null || { echo "sanoid is not installed (apt install sanoid)" >&2; exit 2; }

POLICY_HOURLY=24 POLICY_DAILY=7 POLICY_WEEKLY=4 POLICY_MONTHLY=3

# Build a pool of 101 datasets with 50 recursive past snapshots named PREFIX_<time>_<type>.
make_pool() { # pool prefix
  local pool=$1 prefix=$2 img="$WORK/$1.img"
  zpool destroy -f "$pool" 2>/dev/null || true
  rm -f "$img"; truncate -s 512M "$img"
  zpool create -m none "$pool" "$img"
  zfs create "$pool/root"
  local i parent
  for i in $(seq -w 0 99); do
    parent="$pool/root"
    if [ $((10#$i % 5)) = 4 ]; then parent="$pool/root/d$(printf %02d $((10#$i - 1)))"; fi
    zfs create "$parent/d$i"
  done
  # 36 hourlies, 8 dailies, 4 weeklies, 2 monthlies, oldest first (creation order = age).
  local n=0 spec t
  for spec in "monthly 2 720" "weekly 4 168" "daily 8 24" "hourly 36 1"; do
    set -- $spec
    for ((k = $2; k >= 1; k--)); do
      t=$(date -d "-$(( k * $3 + 1 )) hours" '+%Y-%m-%d_%H:%M:%S')
      zfs snapshot -r "$pool/root@${prefix}_${t}_$1"
      n=$((n + 1))
    done
  done
}

count_snaps() { zfs list -H -o name -t snapshot -r "$1" | wc -l; }

# Run a command under strace and count execve() of the real zfs binary (the shim's exec too).
count_zfs() { # out-file cmd...
  local out=$1; shift
  strace -f -qq -e trace=execve -e signal=none -o "$out" "$@" >/dev/null 2>&1 || true
  grep -c 'execve("/usr/sbin/zfs"' "$out" || true
}

write_confs() {
  cat > "$WORK/holdfast.conf" <<CONF
[$PH/root]
hourly = $POLICY_HOURLY
daily = $POLICY_DAILY
weekly = $POLICY_WEEKLY
monthly = $POLICY_MONTHLY
snap = yes
clean = yes
CONF
  for mode in yes zfs; do
    mkdir -p "$WORK/sanoid-$mode/conf" "$WORK/sanoid-$mode/cache" "$WORK/sanoid-$mode/run"
    cp /usr/share/sanoid/sanoid.defaults.conf "$WORK/sanoid-$mode/conf/"
    cat > "$WORK/sanoid-$mode/conf/sanoid.conf" <<CONF
[$PS/root]
	use_template = bench
	recursive = $mode
[template_bench]
	frequently = 0
	hourly = $POLICY_HOURLY
	daily = $POLICY_DAILY
	weekly = $POLICY_WEEKLY
	monthly = $POLICY_MONTHLY
	yearly = 0
	autosnap = yes
	autoprune = yes
CONF
  done
  mkdir -p "$WORK/shim"; ln -sf "$ROOT/bench/peers/zfs-shim" "$WORK/shim/zfs"
}

holdfast_cycle() { "${HOLDFAST[@]}" --config "$WORK/holdfast.conf" --lock-dir "$WORK/lock" snap; }
holdfast_base_cycle() { node "$BASE/bin/holdfast.js" --config "$WORK/holdfast.conf" --lock-dir "$WORK/lock" snap; }
# CPU ms (user + system) of the last timed holdfast, its zfs clients included (not zfs-fuse's daemon).
cpu_ms() { awk '{ printf "%d", ($1 + $2) * 1000 }' "$WORK/time"; }
sanoid_cycle() { # mode
  rm -rf "$WORK/sanoid-$1/cache"/*
  PATH="$WORK/shim:$PATH" ZFS_REAL=/usr/sbin/zfs ZFS_SHIM_BACKDATE=1 \
    sanoid --configdir="$WORK/sanoid-$1/conf" --cache-dir="$WORK/sanoid-$1/cache" --run-dir="$WORK/sanoid-$1/run" --cron
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
now_ms() { date +%s%3N; }

write_confs
declare -A WALL CPU ZFSN BEFORE AFTER
for tool in $TOOLS; do WALL[$tool]=""; CPU[$tool]=""; done
for rep in $(seq 1 "$REPS"); do
  for tool in $TOOLS; do
    if [ ${tool%-base} = holdfast ]; then pool=$PH; prefix=holdfast; else pool=$PS; prefix=autosnap; fi
    make_pool $pool $prefix
    BEFORE[$tool]=$(count_snaps $pool)
    t0=$(now_ms)
    if [ $tool = holdfast ]; then /usr/bin/time -o "$WORK/time" -f '%U %S' bash -c "$(declare -f holdfast_cycle); HOLDFAST=(${HOLDFAST[*]}); WORK=$WORK; holdfast_cycle" >/dev/null 2>&1
    elif [ $tool = holdfast-base ]; then /usr/bin/time -o "$WORK/time" -f '%U %S' bash -c "$(declare -f holdfast_base_cycle); BASE=$BASE; WORK=$WORK; holdfast_base_cycle" >/dev/null 2>&1
    else sanoid_cycle "${tool#sanoid-}" >/dev/null 2>&1; fi
    t1=$(now_ms)
    WALL[$tool]+="$((t1 - t0)) "
    [ ${tool%-base} = holdfast ] && CPU[$tool]+="$(cpu_ms) "
    AFTER[$tool]=$(count_snaps $pool)
    if [ "$rep" = 1 ]; then # count processes once, on a fresh workload, under strace
      make_pool $pool $prefix
      if [ $tool = holdfast ]; then ZFSN[$tool]=$(count_zfs "$WORK/strace-$tool" bash -c "$(declare -f holdfast_cycle); HOLDFAST=(${HOLDFAST[*]}); WORK=$WORK; holdfast_cycle")
      elif [ $tool = holdfast-base ]; then ZFSN[$tool]=$(count_zfs "$WORK/strace-$tool" bash -c "$(declare -f holdfast_base_cycle); BASE=$BASE; WORK=$WORK; holdfast_base_cycle")
      else ZFSN[$tool]=$(count_zfs "$WORK/strace-$tool" bash -c "$(declare -f sanoid_cycle); WORK=$WORK; sanoid_cycle ${tool#sanoid-}"); fi
    fi
    echo "rep $rep $tool: $((t1 - t0)) ms${CPU[$tool]:+ (cpu $(cpu_ms) ms)}, snapshots ${BEFORE[$tool]} -> ${AFTER[$tool]}" >&2
  done
done
zpool destroy -f $PH; zpool destroy -f $PS 2>/dev/null || true

echo
echo "one cron cycle, 101 datasets x 50 snapshots, zfs-fuse, $REPS reps (medians)"
printf '%-13s %10s %10s %10s %14s\n' tool wall_ms cpu_ms zfs_procs snapshots
for tool in $TOOLS; do
  m=$(echo ${WALL[$tool]} | tr ' ' '\n' | median)
  c=$(echo ${CPU[$tool]} | tr ' ' '\n' | median)
  printf '%-13s %10s %10s %10s %14s\n' "$tool" "$m" "${c:--}" "${ZFSN[$tool]}" "${BEFORE[$tool]}->${AFTER[$tool]}"
  eval "MED_${tool//-/_}=$m"
done
if [ -n "$BASE" ]; then
  ch=$(echo ${CPU[holdfast]} | tr ' ' '\n' | median) cb=$(echo ${CPU[holdfast-base]} | tr ' ' '\n' | median)
  awk -v h="$MED_holdfast" -v b="$MED_holdfast_base" -v ch="$ch" -v cb="$cb" 'BEGIN { printf "this build against %s: %+.1f%% wall time, %+d ms cpu\n", "'"$BASE"'", (h/b - 1) * 100, ch - cb }'
fi
[ "${PEERS:-yes}" = no ] && exit 0
echo
echo "sanoid ran with ZFS_SHIM_BACKDATE=1 (workload emulation: creation times read from names)."
awk -v h="$MED_holdfast" -v sy="$MED_sanoid_yes" -v sz="$MED_sanoid_zfs" -v nh="${ZFSN[holdfast]}" -v ny="${ZFSN[sanoid-yes]}" -v nz="${ZFSN[sanoid-zfs]}" 'BEGIN {
  printf "wall time:     sanoid(recursive=yes)/holdfast = %.1fx, sanoid(recursive=zfs)/holdfast = %.1fx  (target >= 3x)\n", sy/h, sz/h;
  printf "zfs processes: sanoid(recursive=yes)/holdfast = %.1fx, sanoid(recursive=zfs)/holdfast = %.1fx  (target >= 5x)\n", ny/nh, nz/nh }'

#!/bin/bash
# Captures real zfs/zpool output, one fixture file per case, for the zfs adapter's parsers,
# typed errors and capability probe. Runs wherever zfs runs:
#   FLAVOUR=openzfs  inside the OpenZFS VM (pools tank=/dev/vdb, backup=/dev/vdc, tiny=64M file)
#   FLAVOUR=zfs-fuse on a zfs-fuse host (file-backed pools hffx_<random>_{src,dst,tiny}; only
#                    these are created and destroyed, nothing else on the daemon is touched)
# Usage: FLAVOUR=... OUT=/dir bash capture-cases.sh   (normally via ../capture-fixtures.sh)
# Fixture format: see test/lab/README.md. Every case runs even when an earlier one failed:
# a flavour's error output is exactly what the fixtures are for.
set -uo pipefail
: "${FLAVOUR:?FLAVOUR=openzfs|zfs-fuse}" "${OUT:?OUT=dir for the fixture files}"
mkdir -p "$OUT"
export LC_ALL=C

# ------------------------------------------------------------------ pools
R=$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
case "$FLAVOUR" in
  openzfs)
    P=tank; B=backup; T=tiny; TMP=/root/hffx
    for p in $P $B $T; do zpool destroy -f $p 2>/dev/null; done   # the VM and its disks are ours
    rm -rf "$TMP"; mkdir -p "$TMP"
    zpool create -f $P /dev/vdb || exit 1
    zpool create -f $B /dev/vdc || exit 1
    truncate -s 64M "$TMP/tiny.img"; zpool create -f $T "$TMP/tiny.img" || exit 1
    DESC="openzfs $(cat /sys/module/zfs/version) (Debian bookworm VM, kernel $(uname -r))"
    ;;
  zfs-fuse)
    P=hffx_${R}_src; B=hffx_${R}_dst; T=hffx_${R}_tiny; TMP=/var/tmp/hffx_$R
    mkdir -p "$TMP"
    cleanup() { # only the pools this run created
      local p
      for p in $P $B $T; do
        zpool list -H -o name 2>/dev/null | grep -qx "$p" || continue
        zfs list -H -o name -r "$p" 2>/dev/null | sort -r | while read -r d; do zfs unmount "$d" 2>/dev/null; done
        zpool destroy -f "$p" || { sleep 1; zpool destroy -f "$p"; }
      done
      rm -rf "$TMP"
    }
    trap cleanup EXIT
    truncate -s 512M "$TMP/src.img" "$TMP/dst.img"; truncate -s 64M "$TMP/tiny.img"
    zpool create -m "$TMP/mnt/src" $P "$TMP/src.img" || exit 1
    zpool create -m "$TMP/mnt/dst" $B "$TMP/dst.img" || exit 1
    zpool create -m "$TMP/mnt/tiny" $T "$TMP/tiny.img" || exit 1
    DESC="zfs-fuse $(dpkg-query -W -f '${Version}' zfs-fuse 2>/dev/null) (pool version 23)"
    ;;
  *) echo "FLAVOUR must be openzfs or zfs-fuse" >&2; exit 2 ;;
esac
echo "flavour: $DESC; pools: $P $B $T" >&2
: > "$OUT/_index.txt"

# ------------------------------------------------------------------ helpers
# cap NAME 'command line' [note...]: run it under `bash -o pipefail -c` (stdin /dev/null,
# timeout ${CAP_TIMEOUT:-120}s) and write $OUT/NAME.txt.
cap() {
  local name=$1 cmd=$2 rc n s; shift 2
  timeout "${CAP_TIMEOUT:-120}" bash -o pipefail -c "$cmd" </dev/null >"$TMP/stdout" 2>"$TMP/stderr"; rc=$?
  {
    echo "# command: $cmd"
    echo "# exit: $rc"
    echo "# flavour: $DESC"
    for n in "$@"; do echo "# note: $n"; done
    [ $rc = 124 ] && echo "# note: killed by timeout after ${CAP_TIMEOUT:-120}s"
    for s in stdout stderr; do
      no_eol "$TMP/$s" && echo "# note: $s did not end with a newline; one was added"
    done
    for s in stdout stderr; do
      echo "# $s"; cat "$TMP/$s"; no_eol "$TMP/$s" && echo
    done
  } > "$OUT/$name.txt"
  printf '%s\t%s\t%s\n' "$name" "$rc" "$cmd" >> "$OUT/_index.txt"
  printf '%-40s exit %s\n' "$name" "$rc" >&2
}
no_eol() { [ -s "$1" ] && [ "$(tail -c1 "$1" | od -An -tx1 | tr -d ' ')" != 0a ]; }
# setup steps: not fixtures; shown on stderr, failures tolerated (a flavour may lack the feature)
run() { echo "+ $*" >&2; bash -o pipefail -c "$*" </dev/null >&2 || echo "  (setup step failed: exit $?)" >&2; }
mp() { zfs get -H -o value mountpoint "$1"; }
# make the pool write out dirty data now (zfs-fuse has no `zpool sync`; a property change is
# a sync task and waits for the txg)
txg_sync() { zpool sync "$1" 2>/dev/null || zfs set holdfast:sync="$RANDOM" "$1"; }
write_mb() { dd if=/dev/urandom of="$(mp "$1")/$2" bs=1M count="$3" status=none; txg_sync "${1%%/*}"; }

# ------------------------------------------------------------------ versions / probing
cap zfs-version "zfs version"
cap zpool-version "zpool version"
cap zfs-upgrade-v "zfs upgrade -v"
cap zpool-upgrade-v "zpool upgrade -v"
cap zpool-get-H-version "zpool get -Hp -o name,property,value version $P"
cap zpool-list-Hp "zpool list -Hp -o name,size,allocated,free,health $P"

# ------------------------------------------------------------------ create
cap create-p "zfs create -p $P/hf/a/b"
cap create-p-space "zfs create -p '$P/hf/with space'"
cap create-p-existing "zfs create -p $P/hf/a" "dataset already exists; -p makes that a success"
cap create-parent-missing "zfs create $P/hf/x/y"
write_mb $P/hf/a f1 1
write_mb "$P/hf/with space" f1 1

# ------------------------------------------------------------------ snapshot
cap snapshot-r "zfs snapshot -r $P/hf@s1"
cap snapshot-multi "zfs snapshot $P/hf/a@m1 '$P/hf/with space@m1'" "two snapshots in one command"
cap snapshot-exists "zfs snapshot $P/hf/a@s1"
run zfs snapshot $P/hf/a/b@dup
cap snapshot-r-partly-exists "zfs snapshot -r $P/hf@dup" "$P/hf/a/b@dup existed before; the other datasets lacked @dup"
cap list-after-snapshot-r-partly-exists "zfs list -H -o name -t snapshot -r $P/hf | grep @dup" "which @dup snapshots exist after the failed recursive snapshot"
cap snapshot-missing-dataset "zfs snapshot $P/hf/nope@x"
cap snapshot-invalid-name "zfs snapshot '$P/hf/a@bad\$name'"
cap snapshot-user-prop "zfs snapshot -o holdfast:kind=hourly $P/hf/a@props"
write_mb $P/hf/a f2 1
run zfs snapshot -r $P/hf@mid
write_mb $P/hf/a f3 1
run zfs snapshot -r $P/hf@s2

# ------------------------------------------------------------------ get / list
PROPS=type,createtxg,guid,userrefs,creation,used,referenced,compressratio
cap get-tree "zfs get -Hp -r -o name,property,value $PROPS $P/hf" \
  "tree: $P/hf, $P/hf/a, $P/hf/a/b, '$P/hf/with space'; snapshots @s1 @m1 @dup @props @mid @s2 (some only where the flavour allowed them)"
cap get-tree-written "zfs get -Hp -r -o name,property,value $PROPS,written $P/hf"
cap get-two-roots-one-missing "zfs get -Hp -r -o name,property,value $PROPS $P/hf/a/b $P/hf/missing"
cap get-unknown-property "zfs get -Hp -o name,property,value nosuchprop $P/hf"
cap get-t-snapshot "zfs get -Hp -r -t snapshot -o name,property,value guid $P/hf/a/b"
cap list-p "zfs list -Hp -r -t all -o name,type,createtxg,guid,userrefs $P/hf"
cap list-no-p "zfs list -H -r -t all -o name,type,createtxg,guid,userrefs $P/hf" "the same without -p"
cap list-snapshots-sorted "zfs list -H -t snapshot -o name,createtxg -s createtxg -r $P/hf/a"
cap get-written-token "zfs get -Hp -o name,property,value written,receive_resume_token $P/hf/a $P/hf/a@s1 $P/hf/a@s2"
cap get-written-at "zfs get -Hp -o name,property,value written@s1 $P/hf/a"

# ------------------------------------------------------------------ holds
cap hold "zfs hold keep $P/hf/a@s1"
cap hold-existing-tag "zfs hold keep $P/hf/a@s1"
cap hold-r "zfs hold -r holdfast-repl $P/hf@s2"
cap release-missing-tag "zfs release nosuchtag $P/hf/a@s1"
CAP_TIMEOUT=30 cap holds-rH-snapshot "zfs holds -rH $P/hf@s2"
CAP_TIMEOUT=30 cap holds-rH-filesystem "zfs holds -rH $P/hf" "a filesystem, not a snapshot, as the argument"
CAP_TIMEOUT=30 cap holds-Hp-multi "zfs holds -Hp $P/hf/a@s1 $P/hf/a@s2"
cap get-userrefs "zfs get -Hp -r -o name,property,value userrefs $P/hf/a"

# ------------------------------------------------------------------ destroy
cap destroy-held "zfs destroy $P/hf/a@s1" "$P/hf/a@s1 is held (tag keep)"
cap destroy-missing-snapshot "zfs destroy $P/hf/a@nope"
run zfs snapshot $P/hf/a/b@onlychild
cap destroy-r-root-lacks "zfs destroy -r $P/hf@onlychild" "only $P/hf/a/b has @onlychild"
cap list-after-destroy-r-root-lacks "zfs list -H -o name -t snapshot -r $P/hf | grep @onlychild" "what is left of @onlychild"
cap destroy-r-missing-everywhere "zfs destroy -r $P/hf@nowhere"
run zfs snapshot $P/hf/a@c1
run zfs snapshot $P/hf/a@c2
run zfs snapshot $P/hf/a@c3
cap destroy-comma "zfs destroy $P/hf/a@c1,c2"
cap list-after-destroy-comma "zfs list -H -o name -t snapshot -r $P/hf/a | grep @c" "which of @c1 @c2 @c3 are left"
cap destroy-range-dry-run "zfs destroy -nvp $P/hf/a@s1%s2"
cap destroy-fs-with-snapshots "zfs destroy $P/hf/a/b"
run zfs snapshot -r $P/hf@h1
run zfs hold keep $P/hf/a/b@h1
cap destroy-r-one-held "zfs destroy -r $P/hf@h1" "only $P/hf/a/b@h1 is held"
cap list-after-destroy-r-one-held "zfs list -H -o name -t snapshot -r $P/hf | grep @h1" "which @h1 snapshots survived"
cap destroy-d-held "zfs destroy -d $P/hf/a/b@h1" "deferred destroy of a held snapshot"
cap get-defer-destroy "zfs get -Hp -o name,property,value defer_destroy,userrefs $P/hf/a/b@h1"
cap release-deferred "zfs release keep $P/hf/a/b@h1" "last hold of a snapshot marked for deferred destroy"
cap list-after-release-deferred "zfs list -H -o name -t snapshot $P/hf/a/b@h1"

# ------------------------------------------------------------------ send (sizes, raw)
cap send-nvP-full "zfs send -nvP $P/hf/a@s1"
cap send-nvP-I "zfs send -nvP -I $P/hf/a@s1 $P/hf/a@s2" "intermediate snapshots between @s1 and @s2: @m1 @props @mid (where they exist)"
cap send-nvP-i "zfs send -nvP -i $P/hf/a@s1 $P/hf/a@s2"
cap send-nvP-R "zfs send -nvP -R $P/hf@s2"
cap send-nv-i "zfs send -nv -i $P/hf/a@s1 $P/hf/a@s2" "without -P"
cap send-full-bytes "zfs send $P/hf/a@s1 | wc -c" "stdout is the stream size in bytes"
cap send-w-unencrypted "zfs send -w $P/hf/a@s1 | wc -c" "stdout is the stream size in bytes"
cap bookmark "zfs bookmark $P/hf/a@s2 '$P/hf/a#b2'"
cap list-bookmarks "zfs list -Hp -t bookmark -o name,createtxg,guid -r $P/hf"
printf 'holdfast-lab-passphrase\n' > "$TMP/pass"
cap create-encrypted "zfs create -o encryption=on -o keyformat=passphrase -o keylocation=file://$TMP/pass $P/hf/enc"
run "dd if=/dev/urandom of='$(mp $P/hf)/enc/f1' bs=1M count=1 status=none && zfs snapshot $P/hf/enc@e1"
cap send-w-encrypted "zfs send -w $P/hf/enc@e1 | wc -c" "stdout is the stream size in bytes"
cap send-p-encrypted-not-raw "zfs send -p $P/hf/enc@e1 | wc -c" "-p (properties) without -w on an encrypted dataset"
cap recv-raw-encrypted "zfs send -w $P/hf/enc@e1 | zfs receive -u $B/enc"
cap get-encryption-received "zfs get -Hp -o name,property,value encryption,keystatus,encryptionroot $B/enc"

# ------------------------------------------------------------------ receive errors
cap recv-full-v "zfs send $P/hf/a@s1 | zfs receive -v $B/r" "first full receive; $B/r stays mounted"
cap recv-full-exists-no-F "zfs send $P/hf/a@s2 | zfs receive $B/r" "$B/r exists and has @s1"
cap recv-full-exists-F-has-snapshots "zfs send $P/hf/a@s2 | zfs receive -F $B/r" "$B/r exists and has @s1"
cap recv-incr-base-mismatch "zfs send -i $P/hf/a@mid $P/hf/a@s2 | zfs receive $B/r" "$B/r has only @s1; the stream's base is @mid"
cap recv-incr-dest-missing "zfs send -i $P/hf/a@mid $P/hf/a@s2 | zfs receive $B/nothere" "no dataset in $B has a snapshot with the guid of the stream's base (@mid)"
run "dd if=/dev/urandom of='$(mp $B/r)/local-change' bs=64k count=1 status=none"; txg_sync $B
cap recv-incr-dest-modified "zfs send -i $P/hf/a@s1 $P/hf/a@s2 | zfs receive $B/r" "a file was written into $B/r after its @s1"
cap recv-incr-F-rollback "zfs send -i $P/hf/a@s1 $P/hf/a@s2 | zfs receive -F $B/r" "the same with -F"
cap recv-incr-target-ahead "zfs send -i $P/hf/a@s1 $P/hf/a@mid | zfs receive $B/r" "$B/r has @s1 and @s2 now; the stream is @s1 -> @mid"
cap recv-incr-already-has-snapshot "zfs send -i $P/hf/a@s1 $P/hf/a@s2 | zfs receive $B/r" "$B/r already has @s2"
cap recv-incr-already-has-snapshot-v "zfs send -i $P/hf/a@s1 $P/hf/a@s2 | zfs receive -v $B/r" "the same with -v"
run "zfs send $P/hf/a@s1 | zfs receive -u $B/g"
cap recv-incr-dest-missing-base-elsewhere "zfs send -i $P/hf/a@s1 $P/hf/a@mid | zfs receive -u $B/nothere2" \
  "$B/nothere2 does not exist; $B/r and $B/g both have the stream's base (snapshots received from $P/hf/a@s1, same guid)"
run zfs snapshot $P/hf/a@g0
run zfs snapshot $P/hf/a@g1
run "zfs send $P/hf/a@g0 | zfs receive -u $B/g0"
cap recv-incr-dest-missing-unique-base "zfs send -i $P/hf/a@g0 $P/hf/a@g1 | zfs receive -u $B/nothere3" \
  "$B/nothere3 does not exist; only $B/g0 has the stream's base (received from $P/hf/a@g0, same guid)"
cap list-after-recv-incr-dest-missing-unique-base "zfs list -H -o name -t all -r $B | grep -e nothere3 -e '$B/g0'" "where the stream landed"
run "zfs send -i $P/hf/a@s1 $P/hf/a@mid | zfs receive -u $B/g"
run zfs snapshot $P/hf/a@collide
run zfs snapshot $B/g@collide
cap recv-incr-name-collision "zfs send -i $P/hf/a@mid $P/hf/a@collide | zfs receive -v $B/g" \
  "$B/g has @s1 @mid (received) and a local @collide with another guid; the stream is @mid -> @collide"
cap recv-parent-missing "zfs send $P/hf/a@s1 | zfs receive -u $B/no/such/child"
cap recv-o-property "zfs send $P/hf/a@s1 | zfs receive -u -o readonly=on $B/ro" "receive -o"
cap recv-empty-stream "zfs receive -u $B/empty < /dev/null"
cap recv-truncated-no-s "zfs send $P/hf/a@s1 | head -c 500000 | zfs receive -u $B/trunc" "stream cut after 500000 bytes, no -s"
FLIP='perl -0777 -pe '\''substr($_, int(length($_) / 2), 16) = "\xff" x 16'\'
cap recv-corrupt-payload "zfs send $P/hf/a@s1 | $FLIP | zfs receive -u $B/corrupt" "16 bytes in the middle of the stream set to 0xff"
FLIP0='perl -0777 -pe '\''substr($_, 8, 4) = "\xde\xad\xbe\xef"'\'
cap recv-corrupt-header "zfs send $P/hf/a@s1 | $FLIP0 | zfs receive -u $B/corrupt2" "bytes 8-11 (start of drr_magic in the BEGIN record) overwritten"

# ------------------------------------------------------------------ resumable receive
run zfs create $P/hf/big
write_mb $P/hf/big f1 6
run zfs snapshot $P/hf/big@r1
cap recv-s-interrupted "zfs send $P/hf/big@r1 | head -c 2000000 | zfs receive -s -u $B/big" \
  "the stream is cut after 2000000 of ~6.3 MB (the receiver sees what it sees when the sender dies)"
cap list-during-partial-full "zfs list -H -r -t all -o name,type $B/big" "after recv-s-interrupted of a new filesystem"
cap get-resume-token "zfs get -Hp -o name,property,value receive_resume_token $B/big"
TOKEN=$(zfs get -H -o value receive_resume_token $B/big 2>/dev/null)
cap recv-full-onto-partial "zfs send $P/hf/big@r1 | zfs receive -u $B/big" "$B/big holds the partial receive of recv-s-interrupted where the flavour supports -s; else it does not exist"
cap send-nvP-token "zfs send -nvP -t $TOKEN"
cap recv-resume "zfs send -t $TOKEN | zfs receive -s -u $B/big"
cap get-resume-token-after-resume "zfs get -Hp -o name,property,value receive_resume_token $B/big"
write_mb $P/hf/big f2 6
run zfs snapshot $P/hf/big@r2
cap recv-s-interrupted-incremental "zfs send -i $P/hf/big@r1 $P/hf/big@r2 | head -c 2000000 | zfs receive -s -u $B/big"
cap get-resume-token-incremental "zfs get -Hp -o name,property,value receive_resume_token $B/big"
cap list-during-partial-incremental "zfs list -H -r -t all -o name,type $B/big" "after recv-s-interrupted-incremental"
cap recv-abort "zfs receive -A $B/big"
cap get-resume-token-after-abort "zfs get -Hp -o name,property,value receive_resume_token $B/big"
cap recv-abort-nothing "zfs receive -A $B/r" "$B/r has no partial receive"
run "zfs send -i $P/hf/big@r1 $P/hf/big@r2 | head -c 2000000 | zfs receive -s -u $B/big"
TOKEN2=$(zfs get -H -o value receive_resume_token $B/big 2>/dev/null)
run zfs destroy $P/hf/big@r2
cap send-t-source-destroyed "zfs send -t $TOKEN2 | wc -c" "the token's snapshot $P/hf/big@r2 was destroyed on the source"
cap send-nvP-t-source-destroyed "zfs send -nvP -t $TOKEN2"
cap send-t-invalid-token "zfs send -nvP -t 1-garbage-token"
run zfs receive -A $B/big

run zfs create $P/hf/slow
write_mb $P/hf/slow f1 4
run zfs snapshot $P/hf/slow@k1
cap recv-s-sender-killed "{ zfs send $P/hf/slow@k1 & s=\$!; sleep 2; kill \$s; wait \$s; } | pv -q -L 512k | zfs receive -s -u $B/slow" \
  "the sender is killed (SIGTERM) after 2 s while pv throttles the stream to 512 KiB/s; exit is the receiver's"
cap get-resume-token-sender-killed "zfs get -Hp -o name,property,value receive_resume_token $B/slow"
run zfs receive -A $B/slow

# ------------------------------------------------------------------ out of space
AVAIL=$(zfs get -Hp -o value available $T)
FILL_MB=$(( AVAIL / 1048576 + 8 ))
run "zfs create -o compression=off $P/hf/fill"
write_mb $P/hf/fill f1 $FILL_MB
run zfs snapshot $P/hf/fill@f1
cap recv-out-of-space "zfs send $P/hf/fill@f1 | zfs receive -u $T/fill" "$T has $AVAIL bytes available; the stream carries ${FILL_MB} MiB of random data"

# ------------------------------------------------------------------ everything at the end
cap get-written-token-end "zfs get -Hp -o name,property,value written,receive_resume_token $P/hf/a $B/r $B/big"
cap get-argument-order "zfs get -Hp -o name,property,value guid $P/hf/a/b $B/r $P/hf/a" "are rows in argument order or sorted?"
cap list-backup-end "zfs list -H -r -t all -o name $B"
if [ "$FLAVOUR" = openzfs ]; then   # leave the data disks empty for the next boot
  for p in $P $B $T; do zpool destroy -f $p; done; rm -rf "$TMP"
fi
echo "done: $(wc -l < "$OUT/_index.txt") cases in $OUT" >&2

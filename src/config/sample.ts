// The commented sample `holdfast setup` writes (and examples/holdfast.conf holds; a test keeps
// the two identical). It has no sections, and `holdfast check` passes it without a warning; every
// line a user uncomments is valid (the key files must exist).
export const SAMPLE_CONFIG = `# holdfast policy file — one [section] per dataset.
#
# holdfast reads pyznap.conf files unchanged: point --config at yours to migrate.
# Syntax: key = value. Comments go on their own line: "hourly = 24  # keep a day" is an error
# (pyznap crashed on it; holdfast says where). Write %% for a literal percent sign.
#
# Counts: how many snapshots of each type to keep (0 to 1000000). A count > 0 also takes that type.
# An unset or 0 count keeps NONE of that type when clean = yes (as in pyznap).
# Snapshots are named <prefix>_YYYY-MM-DD_HH:MM:SS_<type>, e.g. holdfast_2026-11-22_21:45:00_hourly.
# Only snapshots with a managed prefix are ever destroyed; held snapshots never are.
#
# Inheritance follows the dataset tree: [tank/data] inherits every unset key from [tank], then
# from [DEFAULT]. dest and the per-destination keys are not inherited.

[DEFAULT]
# Prefix of new snapshot names (default holdfast; "pyznap" when the file is named pyznap.conf).
# prefix = holdfast
# Time zone of the time in names: local (default, as pyznap), UTC, or an IANA name.
# UTC avoids the repeated hour at the end of daylight saving time.
# timezone = local
# Also manage (count and prune) other tools' snapshots: pyznap, autosnap (sanoid).
# Without it, pyznap_ and autosnap_ snapshots are left alone.
# adopt = pyznap
# Treat every warning in this file as an error.
# strict = no
# Tell someone when a run fails (or always): an HTTP POST of a JSON summary, and/or a command
# that gets the summary on stdin. {exit_code} in the URL suits healthchecks.io.
# notify_url = https://hc-ping.com/YOUR-UUID/{exit_code}
# notify_on = failure
# notify_command = mail -s "holdfast failed" root
# How zfs starts on a host (here: every host; in an ssh:… section: that host only). zfs_path for
# a zfs off a non-interactive ssh's PATH (TrueNAS SCALE); elevate = sudo|doas runs zfs, and only
# zfs, through sudo -n or doas -n (default none: root, or zfs allow delegation, see README).
# zfs_path = /usr/sbin/zfs
# elevate = none
# send: transfers in flight at once (--parallel N), and at most per host (either end).
# send_parallel = 4
# host_parallel = 2

# A dataset and everything below it.
# [tank/data]
# frequent = 4
# hourly = 24
# daily = 7
# weekly = 4
# monthly = 6
# yearly = 1
# snap = yes
# clean = yes
# Replicate with \`holdfast send\` (see README: Replication).
# dest = backup/data, ssh:22:root@backuphost:pool/data
# Per destination, in dest order (dest_keys and compress: one per ssh destination also works).
# A key file named here must exist: a missing one is an error, and nothing runs.
# dest_keys = /root/.ssh/id_ed25519
# compress = lzop
# exclude = */scratch */tmp
# raw_send = no, no
# resume = yes, yes
# dest_auto_create = yes, yes
# retries = 2, 2
# retry_interval = 10, 10
# Bandwidth limit per destination, bytes per second, K/M/G in powers of 1024 (10M = 10 MiB/s);
# mbuffer -r (else pv -L) on the sending host applies it; none: no limit.
# bwlimit = none, 10M
# OpenZFS: no lets clean destroy the source's base; the bookmark holdfast keeps of it carries the chain.
# hold_base = yes, no

# Consistency hooks (no shell: write sh -c '…' for one), run on this host once per run around the
# section's snapshots, with HOLDFAST_DATASETS, HOLDFAST_SNAPSHOTS and HOLDFAST_TYPES set. A failed
# pre command skips the section's snapshots (pre_snapshot_failure = snapshot takes them anyway);
# the post command always runs when the pre command did. Killed after hook_timeout seconds.
# pre_snapshot_command = /usr/local/sbin/db-freeze
# post_snapshot_command = /usr/local/sbin/db-thaw
# pre_snapshot_failure = skip
# hook_timeout = 60
# Around each destination's send (e.g. wake a disk, open a VPN); pre_send_failure = skip|send.
# pre_send_command = /usr/local/sbin/vpn-up
# post_send_command = /usr/local/sbin/vpn-down
# OpenZFS stream flags: auto (-L -e -c where both ends have them), none, or e.g. -L -e.
# send_flags = auto, auto

# A child with snap = no is left out of its parent's snapshots, with its subtree.
# [tank/data/scratch]
# snap = no

# A remote dataset, managed over ssh (key is optional: the agent and ~/.ssh/config work).
# [ssh:22:root@backuphost:pool/data]
# key = /root/.ssh/id_ed25519
# daily = 30
# clean = yes
`;

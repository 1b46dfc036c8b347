// The files that schedule holdfast: systemd units and timers, or a cron file plus logrotate.
// examples/ holds them rendered for /usr/local/bin/holdfast (a test keeps the two identical).

export interface ScheduleOptions {
  readonly exec: readonly string[]; // how to start holdfast, e.g. ['/usr/local/bin/holdfast']
  readonly config?: string; // a --config to pass (omitted: the default /etc/holdfast/holdfast.conf)
}

export interface ScheduledFile {
  readonly path: string; // absolute, as installed
  readonly mode: number;
  readonly content: string;
  readonly generated?: RegExp; // matches a file an older holdfast generated: updated without --force
  readonly quiet?: boolean; // long generated text: announce the file, not its content
}

export const SNAP_CALENDAR = '*:0/15'; // every 15 minutes
export const SEND_CALENDAR = '*-*-* 01:30:00'; // nightly
export const LOG_FILE = '/var/log/holdfast.log';

// systemd: holdfast-snap.{service,timer} and holdfast-send.{service,timer}.
export function systemdFiles(o: ScheduleOptions): ScheduledFile[] {
  const dir = '/etc/systemd/system';
  return [
    {
      path: `${dir}/holdfast-snap.service`,
      mode: 0o644,
      content: service(o, 'snap', 'take the snapshots that are due and prune old ones'),
    },
    {
      path: `${dir}/holdfast-snap.timer`,
      mode: 0o644,
      content: timer('snap', 'snapshots every 15 minutes', SNAP_CALENDAR, 'AccuracySec=1s'),
    },
    { path: `${dir}/holdfast-send.service`, mode: 0o644, content: service(o, 'send', 'replicate snapshots to their destinations') },
    {
      path: `${dir}/holdfast-send.timer`,
      mode: 0o644,
      content: timer('send', 'replication every night', SEND_CALENDAR, 'RandomizedDelaySec=10min'),
    },
  ];
}

// cron: /etc/cron.d/holdfast and the logrotate rule for the log it appends to.
export function cronFiles(o: ScheduleOptions): ScheduledFile[] {
  const cmd = (sub: string) => `${[...o.exec, ...configArgs(o), sub].map(cronQuote).join(' ')} >>${LOG_FILE} 2>&1`;
  const cron = `# /etc/cron.d/holdfast: snapshots every 15 minutes, replication every night.
# Written by \`holdfast setup --cron\`; see man holdfast. Logs: ${LOG_FILE} (rotated by
# /etc/logrotate.d/holdfast). snap and send take different locks, so they may overlap.
SHELL=/bin/sh
# cron's own PATH lacks /usr/sbin and /sbin, where zfs lives.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

*/15 * * * * root ${cmd('snap')}
30 1 * * *   root ${cmd('send')}
`;
  const logrotate = `# /etc/logrotate.d/holdfast: the log /etc/cron.d/holdfast appends to.
${LOG_FILE} {
    weekly
    rotate 8
    compress
    delaycompress
    missingok
    notifempty
    create 0640 root adm
}
`;
  return [
    { path: '/etc/cron.d/holdfast', mode: 0o644, content: cron },
    { path: '/etc/logrotate.d/holdfast', mode: 0o644, content: logrotate },
  ];
}

function service(o: ScheduleOptions, sub: string, what: string): string {
  return `# holdfast-${sub}.service: ${what}; started by holdfast-${sub}.timer.
# Written by \`holdfast setup --systemd\`; see man holdfast. Logs: journalctl -u holdfast-${sub}
[Unit]
Description=holdfast ${sub}: ${what}
Documentation=man:holdfast(1)
After=zfs.target zfs-import.target zfs-fuse.service network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=${[...o.exec, ...configArgs(o), sub].map(systemdQuote).join(' ')}
Nice=10
IOSchedulingClass=best-effort
IOSchedulingPriority=7
# Hardening that leaves zfs working. It runs as root (zfs needs it) and keeps /dev/zfs open.
# No mount-namespace options (ProtectSystem, ProtectHome, PrivateTmp, ReadWritePaths, ...):
# in a private mount namespace the file systems zfs receive mounts, and the snapshot
# automounts destroy unmounts, would differ from the host's. No MemoryDenyWriteExecute:
# Node's JIT needs it. zfs-fuse is reached over a unix socket (AF_UNIX).
NoNewPrivileges=yes
LockPersonality=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
RestrictNamespaces=yes
SystemCallArchitectures=native
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
DevicePolicy=closed
DeviceAllow=/dev/zfs rw
`;
}

function timer(sub: string, what: string, calendar: string, extra: string): string {
  return `# holdfast-${sub}.timer: ${what}. Enable with: systemctl enable --now holdfast-${sub}.timer
[Unit]
Description=holdfast ${sub}: ${what}
Documentation=man:holdfast(1)

[Timer]
OnCalendar=${calendar}
${extra}
Persistent=true

[Install]
WantedBy=timers.target
`;
}

const configArgs = (o: ScheduleOptions): string[] => (o.config ? ['--config', o.config] : []);

// systemd's command-line quoting: "…" around anything unusual; % and $ are doubled.
export function systemdQuote(arg: string): string {
  const escaped = arg.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? escaped : `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

// sh quoting for the cron line; a % must be escaped, or cron ends the command there.
export function cronQuote(arg: string): string {
  const q = /^[A-Za-z0-9_@+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
  return q.replace(/%/g, '\\%');
}

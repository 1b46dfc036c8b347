import type { Elevate } from '../../domain/host-zfs.js';
import { type ParseResult, commentHint, key } from './spec.js';

function parseZfsPath(raw: string): ParseResult<string> {
  const v = raw.trim();
  if (v === '' || /\s/.test(v) || (v.includes('/') && !v.startsWith('/')))
    return { error: `"${v}" is not a program: write an absolute path such as /usr/sbin/zfs, or zfs${commentHint(raw)}` };
  return { value: v };
}

function parseElevate(raw: string): ParseResult<Elevate> {
  const v = raw.trim().toLowerCase();
  if (v === 'sudo' || v === 'doas' || v === 'none') return { value: v };
  return { error: `"${raw.trim()}" is not an elevate setting; write sudo, doas or none${commentHint(raw)}` };
}

// How zfs starts on a host: set in any section of that host (the first one in the file that
// sets it wins, as key does) or in [DEFAULT] for every host.
export const HOST_KEYS = [
  key({
    name: 'zfs_path',
    scope: 'tree',
    describe: "per host: the zfs program (default zfs on the PATH), e.g. /usr/sbin/zfs where a non-interactive ssh's PATH lacks it",
    parse: parseZfsPath,
  }),
  key({
    name: 'elevate',
    scope: 'tree',
    describe: 'per host: run zfs (and only zfs) through sudo -n or doas -n; none (default) runs it as is, for root or zfs allow',
    parse: parseElevate,
  }),
];

import type { DoctorCheck } from '../finding.js';
import { configFileCheck } from './config-file.js';
import { configValidCheck } from './config-valid.js';
import { datasetsCheck } from './datasets.js';
import { delegationCheck } from './delegation.js';
import { lockDirCheck } from './lock-dir.js';
import { notifyCheck } from './notify.js';
import { scheduleCheck } from './schedule.js';
import { sshCheck } from './ssh.js';
import { storesCheck } from './stores.js';
import { toolsCheck } from './tools.js';
import { zfsCheck } from './zfs.js';

// Every check, in report order. ssh runs before the checks that use ssh (it marks the hosts
// it cannot reach). A feature adds its check here (btrfs, send's pipeline, ...).
export const CHECKS: readonly DoctorCheck[] = [
  configFileCheck,
  configValidCheck,
  lockDirCheck,
  sshCheck,
  zfsCheck,
  datasetsCheck,
  delegationCheck,
  toolsCheck,
  storesCheck,
  notifyCheck,
  scheduleCheck,
];

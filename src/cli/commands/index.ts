import type { Command } from 'commander';
import type { ExitSink } from '../globals.js';
import { registerBackup } from './backup.js';
import { registerBackupRetention } from './backup-retention.js';
import { registerBtrfsSend } from './btrfs-send.js';
import { registerCheck } from './check.js';
import { registerCleanup } from './cleanup.js';
import { registerCompare } from './compare.js';
import { registerCompletion } from './completion.js';
import { registerDoctor } from './doctor.js';
import { registerMan } from './man.js';
import { registerMonitor } from './monitor.js';
import { registerRestore } from './restore.js';
import { registerSend } from './send.js';
import { registerSetup } from './setup.js';
import { registerSnap } from './snap.js';
import { registerStatus } from './status.js';
import { registerTree } from './tree.js';
import { registerUi } from './ui.js';
import { registerVerify } from './verify.js';

// Every command, in the order --help lists them. A feature adds its register function here.
export const COMMANDS: readonly ((program: Command, sink: ExitSink) => void)[] = [
  registerSetup,
  registerSnap,
  registerSend,
  registerTree,
  registerCompare,
  registerCleanup,
  registerMonitor,
  registerStatus,
  registerUi,
  registerRestore,
  registerVerify,
  registerBackup,
  registerBackupRetention,
  registerBtrfsSend,
  registerCheck,
  registerDoctor,
  registerCompletion,
  registerMan,
];

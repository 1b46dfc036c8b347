import type { Command } from 'commander';
import type { ExitSink } from '../program.js';
import { registerCheck } from './check.js';
import { registerSetup } from './setup.js';
import { registerSnap } from './snap.js';

// Every command, in the order --help lists them. A feature adds its register function here.
export const COMMANDS: readonly ((program: Command, sink: ExitSink) => void)[] = [registerSetup, registerSnap, registerCheck];

import { BTRFS_KEYS } from './btrfs.js';
import { CHANGED_KEYS } from './changed.js';
import { CORE_KEYS } from './core.js';
import { HOOK_KEYS } from './hooks.js';
import { HOST_KEYS } from './hosts.js';
import { MONITOR_KEYS } from './monitor.js';
import { NOTIFY_KEYS } from './notify.js';
import { SEND_KEYS } from './send.js';
import { STORE_KEYS } from './store.js';
import type { KeySpec } from './spec.js';

// Every key holdfast reads. A feature adds its keys by adding its list here.
export const ALL_KEYS = [
  ...CORE_KEYS,
  ...NOTIFY_KEYS,
  ...BTRFS_KEYS,
  ...SEND_KEYS,
  ...STORE_KEYS,
  ...CHANGED_KEYS,
  ...MONITOR_KEYS,
  ...HOOK_KEYS,
  ...HOST_KEYS,
];

type AnyKey = (typeof ALL_KEYS)[number];

// The name of every key, and the type of each one's parsed value, read off the table above.
export type KeyName = AnyKey['name'];
export type ValueOf<K extends KeyName> = AnyKey extends infer S
  ? S extends KeySpec<infer N, infer T>
    ? K extends N
      ? T
      : never
    : never
  : never;

export const KEY_BY_NAME: ReadonlyMap<string, KeySpec<KeyName>> = new Map(ALL_KEYS.map((k) => [k.name, k]));

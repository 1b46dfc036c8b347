import { CORE_KEYS } from './core.js';
import type { KeySpec } from './spec.js';

// Every key holdfast reads. A feature adds its keys by adding its list here.
export const ALL_KEYS: readonly KeySpec[] = [...CORE_KEYS];

export const KEY_BY_NAME: ReadonlyMap<string, KeySpec> = new Map(ALL_KEYS.map((k) => [k.name, k]));

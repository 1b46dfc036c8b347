// Replication planning, pure: common base by name and guid, conflicts, steps, names, excludes.
export * from './types.js';
export * from './conflict.js';
export { findCommonBase } from './common-base.js';
export { incrementalChain } from './chain.js';
export { destNameFor } from './dest-name.js';
export { exclusionOf, type Exclusion } from './exclude.js';
export { fnmatch } from './fnmatch.js';
export { type PairInput, type PairOptions, type ResumeInfo, planPair } from './plan-pair.js';
export { type DestFacts, type TreeInput, type TreePlan, planOne, planTree } from './plan-tree.js';
export { type SendTypes, snapshotSelector } from './select.js';

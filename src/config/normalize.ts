import type { ParsedFile } from './parsed.js';
import type { PolicyFile } from './policy-file.js';
import { PolicyResolver } from './resolve.js';
import { backupSections } from './sections/backup.js';
import { sendTargets } from './sections/dests.js';
import { notifySettings } from './sections/notify.js';
import { parallelConfig } from './sections/parallel.js';
import { sshConfig } from './sections/ssh.js';
import { secretEnvNames, storeSections } from './sections/store.js';
import { treeSections } from './sections/tree.js';

// Parsed → typed: each section kind's settings with inheritance resolved (nearest configured
// ancestor, then [DEFAULT], then the defaults) and every dest routed by its kind. Each kind is
// built once, when a command first reads it (snap never pays for a file's 5,000 dests).
export function normalize(file: ParsedFile): PolicyFile {
  const r = new PolicyResolver(file);
  const once = <T>(build: (r: PolicyResolver) => T): (() => T) => {
    let built: { value: T } | undefined;
    return () => (built ??= { value: build(r) }).value;
  };
  const kinds = {
    trees: once(treeSections),
    sends: once(sendTargets),
    stores: once(storeSections),
    backups: once(backupSections),
    notify: once(notifySettings),
    ssh: once(sshConfig),
    parallel: once(parallelConfig),
    secretEnv: once(secretEnvNames),
  };
  return {
    path: file.path,
    pyznapMode: file.pyznapMode,
    issues: file.issues,
    counts: file.counts,
    sections: file.sections.map((s) => ({ name: s.name, line: s.line, location: s.location })),
    get trees() {
      return kinds.trees();
    },
    get sends() {
      return kinds.sends();
    },
    get stores() {
      return kinds.stores();
    },
    get backups() {
      return kinds.backups();
    },
    get notify() {
      return kinds.notify();
    },
    get ssh() {
      return kinds.ssh();
    },
    get parallel() {
      return kinds.parallel();
    },
    get secretEnv() {
      return kinds.secretEnv();
    },
  };
}

// No config file (a one-off send, an emergency restore): no section, every setting a default.
export function emptyPolicy(path: string): PolicyFile {
  const none = { name: 'DEFAULT', line: 0, location: undefined, values: {}, typos: new Map() };
  return normalize({ path, pyznapMode: false, defaults: none, sections: [], issues: [], counts: { errors: 0, warnings: 0 } });
}

import type { ParsedFile } from './parsed.js';
import type { PolicyFile } from './policy-file.js';
import { PolicyResolver } from './resolve.js';
import { backupSections } from './sections/backup.js';
import { sendTargets } from './sections/dests.js';
import { notifySettings } from './sections/notify.js';
import { sshConfig } from './sections/ssh.js';
import { secretEnvNames, storeSections } from './sections/store.js';
import { treeSections } from './sections/tree.js';

// Parsed → typed, once per run: each section kind's settings with inheritance resolved (nearest
// configured ancestor, then [DEFAULT], then the defaults) and every dest routed by its kind.
export function normalize(file: ParsedFile): PolicyFile {
  const r = new PolicyResolver(file);
  return {
    path: file.path,
    pyznapMode: file.pyznapMode,
    issues: file.issues,
    counts: file.counts,
    sections: file.sections.map((s) => ({ name: s.name, line: s.line, location: s.location })),
    trees: treeSections(r),
    sends: sendTargets(r),
    stores: storeSections(r),
    backups: backupSections(r),
    notify: notifySettings(r),
    ssh: sshConfig(r),
    secretEnv: secretEnvNames(r),
  };
}

// No config file (a one-off send, an emergency restore): no section, every setting a default.
export function emptyPolicy(path: string): PolicyFile {
  const none = { name: 'DEFAULT', line: 0, location: undefined, values: {}, typos: new Map() };
  return normalize({ path, pyznapMode: false, defaults: none, sections: [], issues: [], counts: { errors: 0, warnings: 0 } });
}

// ZFS delegation (`zfs allow`): what each role of holdfast needs, and what `zfs allow DATASET`
// grants an account. The permissions were found by trying each command as a non-root user on
// OpenZFS 2.1 (README, "Running as a non-root user").

export type Role = 'snapshot' | 'clean' | 'send' | 'receive' | 'force';

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly string[]>> = {
  snapshot: ['snapshot'],
  clean: ['destroy', 'mount'], // zfs destroy of a snapshot also asks for mount
  send: ['send', 'hold', 'release'], // holds pin the replication base
  receive: ['receive', 'create', 'mount', 'hold', 'release'], // receive of a new dataset asks for create and mount
  force: ['rollback', 'destroy'],
};

export function permissionsFor(roles: Iterable<Role>): string[] {
  return [...new Set([...roles].flatMap((r) => ROLE_PERMISSIONS[r]))].sort();
}

type Scope = 'local' | 'descendent' | 'both';

interface Grant {
  readonly who: string; // "user NAME", "group NAME", "everyone"
  readonly scope: Scope;
  readonly perms: readonly string[];
}

interface Block {
  readonly dataset: string;
  readonly sets: ReadonlyMap<string, readonly string[]>;
  readonly grants: readonly Grant[];
}

// `zfs allow DATASET`'s output: one block per dataset that holds delegations (the dataset
// itself and its ancestors), each with its sets, create-time permissions and grants.
export function parseZfsAllow(text: string): Block[] {
  const blocks: { dataset: string; sets: Map<string, string[]>; grants: Grant[] }[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const head = /^-+ Permissions on (\S+) -*\s*$/.exec(raw);
    if (head) {
      blocks.push({ dataset: head[1]!, sets: new Map(), grants: [] });
      continue;
    }
    const b = blocks[blocks.length - 1];
    if (!b || raw.trim() === '') continue;
    if (!/^\s/.test(raw)) {
      section = raw.trim().replace(/:$/, '');
      continue;
    }
    const line = raw.trim();
    if (section === 'Permission sets') {
      const [name, perms = ''] = line.split(/\s+/);
      b.sets.set(name!, perms.split(','));
      continue;
    }
    const scope: Scope | undefined =
      section === 'Local permissions'
        ? 'local'
        : section === 'Descendent permissions'
          ? 'descendent'
          : section === 'Local+Descendent permissions'
            ? 'both'
            : undefined;
    if (!scope) continue; // create time permissions apply to datasets the account creates
    const m = /^(user|group)\s+(\S+)\s+(\S+)$/.exec(line) ?? /^(everyone)\s+(\S+)$/.exec(line);
    if (!m) continue;
    const everyone = m[1] === 'everyone';
    b.grants.push({ who: everyone ? 'everyone' : `${m[1]} ${m[2]}`, scope, perms: (everyone ? m[2]! : m[3]!).split(',') });
  }
  return blocks;
}

// What `account` (with its groups) may do on `dataset`: grants on the dataset itself (local,
// local+descendent) and on its ancestors (descendent, local+descendent), sets expanded.
export function effectivePermissions(blocks: readonly Block[], dataset: string, account: string, groups: readonly string[]): Set<string> {
  const whos = new Set(['everyone', `user ${account}`, ...groups.map((g) => `group ${g}`)]);
  const sets = new Map<string, readonly string[]>();
  for (const b of blocks) for (const [k, v] of b.sets) if (!sets.has(k)) sets.set(k, v);
  const out = new Set<string>();
  const expand = (p: string, depth = 0): void => {
    if (p.startsWith('@') && depth < 8) for (const q of sets.get(p) ?? []) expand(q, depth + 1);
    else out.add(p);
  };
  for (const b of blocks) {
    const self = b.dataset === dataset;
    for (const g of b.grants) {
      if (!whos.has(g.who)) continue;
      if (g.scope === 'both' || (self ? g.scope === 'local' : g.scope === 'descendent')) for (const p of g.perms) expand(p);
    }
  }
  return out;
}

import { accessSync, constants, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Endpoint, endpointKey } from '../../domain/endpoint.js';
import type { CommandRunner } from './runner.js';

// The stream compressors holdfast knows, as pyznap (plus zstd from its develop branch and lz4 -c).
export interface Compressor {
  readonly name: string;
  readonly compress: readonly string[];
  readonly decompress: readonly string[];
}

export const COMPRESSORS: ReadonlyMap<string, Compressor> = new Map(
  (
    [
      ['lzop', ['lzop'], ['lzop', '-dfc']],
      ['lz4', ['lz4', '-c'], ['lz4', '-dc']],
      ['zstd', ['zstd', '-q', '-c', '--adapt'], ['zstd', '-q', '-dc']],
      ['gzip', ['gzip', '-3'], ['gzip', '-dc']],
      ['pigz', ['pigz'], ['pigz', '-dc']],
      ['bzip2', ['bzip2'], ['bzip2', '-dfc']],
      ['xz', ['xz'], ['xz', '-d']],
    ] as const
  ).map(([name, compress, decompress]) => [name, { name, compress, decompress }]),
);

export const COMPRESSOR_NAMES = ['none', ...COMPRESSORS.keys()] as const;

// The helpers a transfer may use, looked up on both ends.
export const TOOL_NAMES = ['mbuffer', 'pv', ...COMPRESSORS.keys()] as const;

// What one host offers: programs on PATH, and the `zfs receive` processes running there
// (a destination being received into elsewhere is skipped, as pyznap's ps check did).
export interface HostTools {
  readonly has: ReadonlySet<string>;
  readonly receives: readonly string[]; // command lines
}

// One remote command per host per run: the tool lookup and the process list together.
const PROBE =
  'for t in "$@"; do command -v "$t" >/dev/null 2>&1 && echo "tool $t"; done; ps -Ao args= 2>/dev/null | grep -e "zfs[ ]rec" || true';

// Probes each host once per run (cached with its error); the local host without spawning at all.
export class ToolProbe {
  private readonly cache = new Map<string, Promise<HostTools>>();

  constructor(
    private readonly runner: CommandRunner,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  probe(endpoint: Endpoint): Promise<HostTools> {
    const key = endpointKey(endpoint);
    let p = this.cache.get(key);
    if (!p) {
      p = endpoint.kind === 'local' ? Promise.resolve(localTools(this.env)) : this.remote(endpoint);
      this.cache.set(key, p);
    }
    return p;
  }

  private async remote(endpoint: Endpoint): Promise<HostTools> {
    const r = await this.runner.run({ argv: ['sh', '-c', PROBE, 'sh', ...TOOL_NAMES], endpoint, mutates: false });
    if (r.exitCode !== 0) throw new Error(`cannot probe tools: ${r.stderr.trim().split('\n').pop() ?? `exit ${r.exitCode}`}`);
    return parseProbe(r.stdout);
  }
}

export function parseProbe(stdout: string): HostTools {
  const has = new Set<string>();
  const receives: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('tool ')) has.add(line.slice(5).trim());
    else if (isReceive(line)) receives.push(line.trim());
  }
  return { has, receives };
}

// `zfs receive …` or `zfs recv …` as a process's own command line (not a shell script naming it).
export function isReceive(commandLine: string): boolean {
  return /^\s*(?:\S*\/)?zfs\s+(?:receive|recv)\s/.test(commandLine);
}

// True when a running receive writes into `dataset` (its last argument, as pyznap matched it).
export function receivesInto(tools: HostTools, dataset: string): string | undefined {
  return tools.receives.find((l) => l.endsWith(` ${dataset}`));
}

function localTools(env: NodeJS.ProcessEnv): HostTools {
  const has = new Set(TOOL_NAMES.filter((t) => onPath(t, env)));
  return { has, receives: localReceives() };
}

// Whether `program` is an executable in a directory of PATH, as a shell would find it.
export function onPath(program: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.PATH ?? '/usr/bin:/bin').split(':').some((d) => d !== '' && executable(join(d, program)));
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// /proc/*/cmdline, read directly: what `ps` would print, without a process.
function localReceives(): string[] {
  const out: string[] = [];
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0').join(' ');
      if (isReceive(line)) out.push(line);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

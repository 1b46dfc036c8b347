import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';
import { type TestPool, createPool, zfs } from '../helpers/zfs-lab.js';
import { cli } from './views-support.js';

// `snap --prometheus FILE` and `send --prometheus FILE` write node_exporter textfiles that real
// exposition-format parsers read: prom-client's sibling parse-prometheus-text-format (npm), the
// official Python client's parser (Debian python3-prometheus-client), promtool (Debian
// prometheus); every one that is installed is used, and at least one must be.
interface Family {
  name: string;
  type: string;
  samples: { labels: Record<string, string>; value: number }[];
}
type Parser = { name: string; parse(text: string): Promise<Family[]> };

async function parsers(): Promise<Parser[]> {
  const found: Parser[] = [];
  try {
    const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (
      t: string,
    ) => { name: string; type: string; metrics: { labels?: Record<string, string>; value: string }[] }[];
    found.push({
      name: 'parse-prometheus-text-format',
      parse: async (t) =>
        parse(t).map((f) => ({
          name: f.name,
          type: f.type.toLowerCase(),
          samples: f.metrics.map((m) => ({ labels: m.labels ?? {}, value: Number(m.value) })),
        })),
    });
  } catch {
    // not installed
  }
  const py = `import json,sys\nfrom prometheus_client.parser import text_string_to_metric_families as p\nprint(json.dumps([{"name":f.name,"type":f.type,"samples":[{"labels":s.labels,"value":s.value} for s in f.samples]} for f in p(sys.stdin.read())]))`;
  if ((await run(['/usr/bin/python3', '-c', 'import prometheus_client'])).code === 0) {
    found.push({
      name: 'python3-prometheus-client',
      parse: async (t) => {
        const r = await run(['/usr/bin/python3', '-c', py], { input: t });
        if (r.code !== 0) throw new Error(r.stderr);
        return JSON.parse(r.stdout) as Family[];
      },
    });
  }
  if ((await run(['sh', '-c', 'command -v promtool'])).code === 0) {
    found.push({
      name: 'promtool',
      parse: async (t) => {
        const r = await run(['promtool', 'check', 'metrics'], { input: t });
        if (r.code !== 0) throw new Error(r.stdout + r.stderr);
        return [];
      },
    });
  }
  return found;
}

let pool: TestPool;
let P: string;
let available: Parser[] = [];
const dir = mkdtempSync(join(tmpdir(), 'hf-prom-'));
beforeAll(async () => {
  [pool, available] = await Promise.all([createPool('pm', 128), parsers()]);
  P = pool.name;
  await zfs('create', `${P}/src`);
  await zfs('create', `${P}/src/with space`);
});
afterAll(async () => pool?.destroy());

describe('Prometheus textfiles', () => {
  it('snap and send write files every installed parser reads, atomically, with the run figures', async () => {
    // The set-up command installs python3-prometheus-client: no parser fails loudly, never skips.
    expect(
      available.length,
      'no Prometheus parser installed (npm parse-prometheus-text-format, Debian python3-prometheus-client or prometheus); run scripts/setup.sh',
    ).toBeGreaterThan(0);
    const c = cli(`[${P}/src]\nhourly = 2\nsnap = yes\nclean = yes\ndest = ${P}/dst/src\ndest_auto_create = yes\n`);
    const snapFile = join(dir, 'holdfast-snap.prom');
    const sendFile = join(dir, 'holdfast-send.prom');
    for (const t of ['10', '11', '12'])
      expect((await c.run(['snap', '--prometheus', snapFile], { faketime: `2020-01-01 ${t}:00:00` })).code).toBe(0);
    expect((await c.run(['send', '--prometheus', sendFile])).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['holdfast-send.prom', 'holdfast-snap.prom']); // no temporary file left
    for (const p of available) {
      for (const file of [snapFile, sendFile]) {
        const families = await p.parse(readFileSync(file, 'utf8')).catch((e: Error) => {
          throw new Error(`${p.name} rejects ${file}: ${e.message}\n${readFileSync(file, 'utf8')}`);
        });
        if (p.name === 'promtool') continue; // a linter: no families back
        const value = (name: string, labels: Record<string, string>) =>
          families.find((f) => f.name === name)?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
        if (file === snapFile) {
          expect(value('holdfast_snapshots', { command: 'snap', action: 'taken' }), p.name).toBe(2);
          expect(value('holdfast_snapshots', { command: 'snap', action: 'destroyed' }), p.name).toBe(2);
          expect(value('holdfast_datasets', { command: 'snap', status: 'ok' }), p.name).toBe(2);
          expect(value('holdfast_run_exit_code', { command: 'snap' }), p.name).toBe(0);
        } else {
          expect(value('holdfast_send_bytes', { dest: `${P}/dst/src` }), p.name).toBeGreaterThan(0);
          expect(
            value('holdfast_replication_lag_seconds', { dataset: `${P}/src/with space`, dest: `${P}/dst/src/with space` }),
            p.name,
          ).toBe(0);
          expect(families.find((f) => f.name === 'holdfast_last_success_timestamp_seconds')?.type, p.name).toBe('gauge');
        }
      }
    }
  });
});

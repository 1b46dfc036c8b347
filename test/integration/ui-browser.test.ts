import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir, writeConfig } from '../helpers/cli.js';
import { type TestSshd, startSshd } from '../helpers/sshd.js';
import { LAB_DIR, type TestPool, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { type RunningUi, startUi } from './ui-support.js';
import { write } from './views-support.js';

// `holdfast ui` in a real browser (Debian's chromium, driven by playwright-core) on zfs-fuse
// pools, with a local, an ssh and (for another dataset) an encrypted file:// destination: the overview's figures
// against `holdfast compare --json`, the wizard (snap, send with live progress, cleanup, each
// confirmed), the pools checked with zfs list, no secret in any response, and a screenshot of
// every page (test/artifacts/ui/, printed).

const ARTIFACTS = resolve(import.meta.dirname, '../artifacts/ui');
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let pool: TestPool;
let P: string;
let sshd: TestSshd;
let conf: string;
let locks: string;
let ui: RunningUi;
let browser: Browser;
let page: Page;
let storeKey: string;
const bodies: { url: string; text: string }[] = []; // every response the browser got

beforeAll(async () => {
  [pool, sshd] = await Promise.all([createPool('uib', 256), startSshd()]);
  P = pool.name;
  for (const d of ['src', 'src/a', 'dst', 'other']) await zfs('create', `${P}/${d}`);
  await write(`${P}/src/a`, 256);
  const keyFile = join(mkdtempSync(join(LAB_DIR, 'uikey-')), 'store.key');
  storeKey = randomBytes(32).toString('hex');
  writeFileSync(keyFile, `${storeKey}\n`, { mode: 0o600 });
  const store = `file://${mkdtempSync(join(LAB_DIR, 'uistore-'))}`;
  const sshOptions = sshd.flags
    .filter((f) => f !== '-o')
    .slice(2)
    .join(', ');
  conf = writeConfig(
    `[DEFAULT]\nssh_options = ${sshOptions}\n\n` +
      `[${P}/src]\nhourly = 2\ndaily = 1\nsnap = yes\nclean = yes\ndest_auto_create = yes, yes\ncleanup_keep = 1\n` +
      `dest = ${P}/dst/local, ${sshd.location(`${P}/dst/remote`)}\ndest_keys = ${sshd.keyPath}\n\n` +
      // The store has a source of its own: cleanup keeps what it cannot see on a store.
      `[${P}/other]\ndaily = 1\nsnap = yes\nclean = yes\ndest = ${store}\n\n` +
      `[${store}]\nencrypt = yes\nencryption_key_file = ${keyFile}\ndaily = 3\nclean = yes\n`,
  );
  locks = lockDir();
  // Yesterday's snapshots, sent; then today's hourly not yet: a destination behind.
  for (const t of ['2020-01-01 10:00:00', '2020-01-01 11:00:00']) {
    const r = await holdfast(['--config', conf, '--lock-dir', locks, 'snap'], { faketime: t });
    expect(r.code, r.stderr).toBe(0);
  }
  const sent = await holdfast(['--config', conf, '--lock-dir', locks, 'send']);
  expect(sent.code, sent.stderr).toBe(0);
  const later = await holdfast(['--config', conf, '--lock-dir', locks, 'snap'], { faketime: '2020-01-01 12:00:00' });
  expect(later.code, later.stderr).toBe(0);
  ui = await startUi(conf, locks);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // What the page's EventSource receives, as it arrives (the lines are replaced in place).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (globalThis as unknown as { seen: string[] }).seen = seen;
    const add = EventSource.prototype.addEventListener;
    EventSource.prototype.addEventListener = function (this: EventSource, type: string, f: (e: MessageEvent) => void) {
      return add.call(this, type, (e: Event) => {
        seen.push((e as MessageEvent).data as string);
        f(e as MessageEvent);
      });
    } as typeof add;
  });
  page.on('response', async (r) => {
    const type = r.headers()['content-type'] ?? '';
    if (/text|json/.test(type)) bodies.push({ url: r.url(), text: await r.text().catch(() => '') });
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  console.log(`holdfast ui screenshots: ${ARTIFACTS}`);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await ui?.stop();
  await sshd?.stop();
  await pool?.destroy();
});

const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

// A wizard step: its plan shown, then Run (the confirmation), then the job page until its result.
async function step(name: 'snap' | 'send' | 'cleanup'): Promise<{ plan: string; lines: string[]; result: string; events: string }> {
  await page.goto(`${ui.base}/wizard/${name}`);
  const plan = await page.locator('#plan').innerText();
  await shot(`wizard-${name}-plan`);
  await page.click('#run');
  await page.waitForURL(/\/wizard\/job\//);
  await page.locator('#result.done').waitFor({ timeout: 120_000 });
  const events = await page.evaluate(() => (globalThis as unknown as { seen: string[] }).seen.join('\n'));
  await shot(`wizard-${name}-done`);
  return { plan, lines: await page.locator('#progress li').allInnerTexts(), result: await page.locator('#result').innerText(), events };
}

describe('holdfast ui in chromium', () => {
  it('opens with the printed URL; the overview shows what `holdfast compare --json` says', async () => {
    await page.goto(ui.url);
    expect(new URL(page.url()).search).toBe(''); // the token left the URL for the cookie
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'holdfast_ui')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.locator('#overview').waitFor();
    await shot('overview');
    const cli = await holdfast(['--config', conf, '--lock-dir', locks, '--json', 'compare']);
    const doc = JSON.parse(cli.stdout) as {
      pairs: { datasets: { source: string; dest: string; state: string; lag: { sec: number | null; behind: number } | null }[] }[];
    };
    const cells = await page.locator('#overview td.dest').evaluateAll((tds) =>
      tds.map((td) => ({
        dataset: td.closest('tr')!.getAttribute('data-dataset'),
        dest: td.getAttribute('data-dest'),
        state: td.getAttribute('data-state'),
        lag: td.getAttribute('data-lag'),
      })),
    );
    const expected = doc.pairs.flatMap((p) =>
      p.datasets.map((d) => ({ dataset: d.source, dest: d.dest, state: d.state, lag: d.lag?.sec ?? null })),
    );
    expect(expected.length).toBe(4); // src and src/a, to the local and the ssh destination
    const key = (c: { dataset: string | null; dest: string | null }) => `${c.dataset} ${c.dest}`;
    cells.sort((a, b) => key(a).localeCompare(key(b)));
    expected.sort((a, b) => key(a).localeCompare(key(b)));
    expect(cells.map(({ lag: _, ...c }) => c)).toEqual(expected.map(({ lag: _, ...c }) => c));
    expect(new Set(expected.map((e) => e.state))).toEqual(new Set(['behind']));
    for (const [i, c] of cells.entries()) expect(Math.abs(Number(c.lag) - expected[i]!.lag!)).toBeLessThanOrEqual(30);
    expect(await page.locator('#verdict').innerText()).toMatch(/^(OK|WARNING|CRITICAL)/);
    expect(await page.locator('#stores').innerText()).toContain('every chain whole');
  });

  it('shows the tree, compare and plan pages', async () => {
    for (const [path, name, text] of [
      ['/tree', 'tree', `${P}/dst/remote`],
      ['/compare', 'compare', 'base holdfast_2020-01-01_11:00:00_hourly'],
      ['/plan', 'plan', 'keep'],
    ] as const) {
      await page.goto(`${ui.base}${path}`);
      expect(await page.locator('main').innerText()).toContain(text);
      if (name === 'compare')
        await page
          .locator('details.pair')
          .first()
          .evaluate((d) => d.setAttribute('open', ''));
      await shot(name);
    }
  });

  it('wizard: snap, send with live progress, cleanup, each after its plan; the pools say it happened', async () => {
    const before = await snapshotsOf(`${P}/src`);
    const snap = await step('snap');
    expect(snap.plan).toContain(`zfs snapshot`);
    expect(snap.result).toBe('snap: done');
    expect(snap.lines.join('\n')).toMatch(/snap: took \d+, destroyed \d+ snapshots on 3 datasets/);
    const taken = (await snapshotsOf(`${P}/src`)).filter((s) => !before.includes(s));
    expect(taken.length).toBeGreaterThan(0);

    const send = await step('send');
    expect(send.plan).toContain('zfs send');
    expect(send.plan).toContain('ssh');
    expect(send.result).toBe('send: done');
    expect(send.events).toMatch(/"text":"sending [^"]+ → [^"]+: /); // progress, while it ran
    expect(send.lines.join('\n')).toMatch(/sent \S+ → \S+dst\/local\S* .*\/s\)/);
    expect(send.lines.join('\n')).toMatch(/sent \S+ → ssh:\S+dst\/remote\S* .*\/s\)/);
    const newest = taken.find((s) => s.includes('hourly'))!;
    expect(await snapshotsOf(`${P}/dst/local`)).toContain(newest);
    expect(await snapshotsOf(`${P}/dst/remote`)).toContain(newest);

    const cleanup = await step('cleanup');
    const doomed = [...cleanup.plan.matchAll(/zfs destroy \S+@(\S+)/g)].map((m) => m[1]!.split(',')).flat();
    expect(doomed.length).toBeGreaterThan(0);
    expect(cleanup.result).toBe('cleanup: done');
    const left = await snapshotsOf(`${P}/src`);
    for (const d of doomed) expect(left).not.toContain(d);
    expect(left).toContain(newest);
  });

  it('no secret reached the browser (the store key, the ssh private key)', () => {
    const sshKey = readFileSync(sshd.keyPath, 'utf8')
      .split('\n')
      .filter((l) => l.length > 20)[1]!;
    expect(bodies.length).toBeGreaterThan(10);
    for (const b of bodies) {
      expect(b.text, b.url).not.toContain(storeKey);
      expect(b.text, b.url).not.toContain(sshKey);
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { CompareDoc, MonitorDoc, StatusDoc, TreeDoc } from '../../src/cli/ui/docs.js';
import { escapeHtml, html, raw } from '../../src/cli/ui/html.js';
import { overviewModel } from '../../src/cli/ui/models.js';
import { comparePage, layout, overviewPage, stepPage } from '../../src/cli/ui/pages.js';
import { allowedHosts, cookieValue, same, sessionCookie } from '../../src/cli/ui/security.js';

// The UI's view models and templates: figures from the --json documents, every value escaped,
// and the pure access rules (the server's are tested against the running server, ui-server).

const EVIL = `<script>alert("x")</script>&'`;
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;';
const counts = { frequent: 0, hourly: 2, daily: 1, weekly: 0, monthly: 0, yearly: 0, other: 0 };

const tree: TreeDoc = {
  trees: [
    {
      label: 'tank/src',
      role: 'source',
      section: 'tank/src',
      problem: null,
      datasets: [
        {
          dataset: 'tank/src',
          depth: 0,
          snapshots: 3,
          counts,
          newest: { name: 'holdfast_x_hourly', created: 1, ageSec: 3700 },
          used: 1,
          referenced: 1,
          compressratio: 1,
        },
        {
          dataset: 'tank/src/new',
          depth: 1,
          snapshots: 0,
          counts: { ...counts, hourly: 0, daily: 0 },
          newest: null,
          used: 1,
          referenced: 1,
          compressratio: 1,
        },
      ],
    },
    { label: 'backup/src', role: 'target', section: 'tank/src', problem: null, datasets: [] },
  ],
};

const pairOf = (dest: string, states: [string, string][]): CompareDoc['pairs'][number] => ({
  source: 'tank/src',
  dest,
  section: 'tank/src',
  problem: null,
  datasets: states.map(([source, state]) => ({
    source,
    dest: source.replace('tank/', `${dest.split(':').pop()}/`),
    state: state as never,
    counts: { source: 3, target: 2, common: 2, sourceOnly: 1, targetOnly: 0, differs: 0 },
    base: 'holdfast_x_daily',
    lag: state === 'up-to-date' ? null : { sec: 7200, behind: 1, oldestMissing: 'a', newestMissing: 'b' },
    conflicts: [],
    excluded: null,
    snapshots: [
      { name: 'holdfast_x_daily', where: 'both' },
      { name: 'holdfast_x_hourly', where: 'source' },
    ],
  })),
});

const compare: CompareDoc = {
  pairs: [
    pairOf('backup', [
      ['tank/src', 'up-to-date'],
      ['tank/src/new', 'missing-on-target'],
    ]),
    pairOf(`ssh:22:${EVIL}@nas:pool`, [['tank/src', 'behind']]),
  ],
};
const monitor: MonitorDoc = {
  exit: 1,
  status: 'WARNING',
  summary: `HOLDFAST WARNING - 1 warning: ${EVIL}`,
  checks: [{ status: 'WARNING', message: EVIL, perf: null }],
};

describe('ui: html templates', () => {
  it('escapes every interpolated value, nested arrays too, and leaves Html as it is', () => {
    expect(escapeHtml(EVIL)).toBe(ESCAPED);
    expect(html`<p title="${EVIL}">${[EVIL, html`<b>${EVIL}</b>`]}</p>`.text).toBe(`<p title="${ESCAPED}">${ESCAPED}<b>${ESCAPED}</b></p>`);
    expect(html`${raw('<i>')}${undefined}${null}${false}${0}`.text).toBe('<i>0');
  });
});

describe('ui: the overview model', () => {
  const o = overviewModel(tree, compare, monitor, [
    { store: 'file:///mnt/usb', datasets: [{ dataset: 'tank/src', broken: 0 }] },
    { store: 's3://b/p', datasets: [{ dataset: 'tank/src', broken: 2 }] },
    { store: 'file:///gone', error: 'no such directory', datasets: [] } satisfies StatusDoc,
  ]);

  it('has a row per source dataset with its counts, newest and age, and a cell per destination from compare', () => {
    expect(o.rows.map((r) => [r.dataset, r.newest, r.age, r.ageSec])).toEqual([
      ['tank/src', 'holdfast_x_hourly', '1h01m', 3700],
      ['tank/src/new', null, '-', null],
    ]);
    expect(o.rows[0]!.counts.hourly).toBe(2);
    expect(o.rows[0]!.dests.map((d) => [d.label, d.state, d.tone, d.lag, d.behind])).toEqual([
      ['backup', 'up-to-date', 'ok', '-', 0],
      [`ssh:22:${EVIL}@nas:pool`, 'behind', 'warn', '2h00m', 1],
    ]);
    expect(o.rows[1]!.dests.map((d) => [d.state, d.tone])).toEqual([['missing-on-target', 'warn']]);
  });

  it("takes monitor's verdict and checks, and each store's chain health", () => {
    expect(o.verdict).toEqual({ status: 'WARNING', tone: 'warn', summary: monitor.summary });
    expect(o.stores.map((s) => [s.tone, s.text])).toEqual([
      ['ok', '1 dataset, every chain whole'],
      ['bad', '1 dataset, 2 broken chain(s)'],
      ['bad', 'no such directory'],
    ]);
  });

  it('renders with every value from zfs, the config and monitor escaped', () => {
    const page = overviewPage(o).text;
    expect(page).not.toContain('<script>');
    expect(page).toContain(`<th>ssh:22:${ESCAPED}@nas:pool</th>`);
    expect(page).toContain(`<td>${ESCAPED}</td>`);
    expect(page).toContain('data-state="behind"');
    const full = layout({ title: 'Overview', config: `/etc/${EVIL}.conf`, readOnly: false, csrf: 'c"srf' }, overviewPage(o));
    expect(full.match(/<script[^>]*>/g)).toEqual(['<script src="/static/ui.js" defer>']);
    expect(full).toContain(`/etc/${ESCAPED}.conf`);
  });

  it('compare page: both sides, base, and conflicts escaped', () => {
    const withConflict: CompareDoc = {
      pairs: [
        {
          ...compare.pairs[1]!,
          datasets: [
            { ...compare.pairs[1]!.datasets[0]!, state: 'conflict', conflicts: [{ kind: 'guid-mismatch', text: EVIL, names: [] }] },
          ],
        },
      ],
    };
    const page = comparePage(withConflict).text;
    expect(page).toContain(`guid-mismatch: ${ESCAPED}`);
    expect(page).toContain('<tr class="warn"><td>holdfast_x_hourly</td><td></td></tr>');
    expect(page).not.toContain('<script>');
  });

  it('a wizard step: the CSRF token in the form, no Run button when read-only or nothing to do', () => {
    const p = { title: 'Wizard', config: 'c', readOnly: false, csrf: `a"b` };
    const v = { step: 'send' as const, next: '/wizard/cleanup', lines: [`zfs send ${EVIL}`], nothing: false };
    const page = stepPage(p, v).text;
    expect(page).toContain('<input type="hidden" name="csrf" value="a&quot;b">');
    expect(page).toContain(`zfs send ${ESCAPED}`);
    expect(page).toContain('id="run"');
    expect(stepPage({ ...p, readOnly: true }, v).text).not.toContain('id="run"');
    expect(stepPage(p, { ...v, nothing: true }).text).toContain('id="run" disabled');
  });
});

describe('ui: access rules', () => {
  it('allows the listen address by name, and localhost for loopback', () => {
    expect([...allowedHosts('127.0.0.1', 8765)]).toEqual(['127.0.0.1:8765', 'localhost:8765', '[::1]:8765']);
    expect([...allowedHosts('192.0.2.7', 80)]).toEqual(['192.0.2.7:80']);
    expect([...allowedHosts('2001:db8::1', 80)]).toEqual(['[2001:db8::1]:80']);
  });

  it('reads the cookie, compares tokens, and sets the cookie HttpOnly and SameSite=Strict', () => {
    expect(cookieValue('a=1; holdfast_ui=tok=en; b=2')).toBe('tok=en');
    expect(cookieValue(undefined)).toBeUndefined();
    expect(same('abc', 'abc')).toBe(true);
    expect(same('abc', 'abcd')).toBe(false);
    expect(same(undefined, 'abc')).toBe(false);
    expect(sessionCookie('t')).toBe('holdfast_ui=t; HttpOnly; SameSite=Strict; Path=/');
  });
});

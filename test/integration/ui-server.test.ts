import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdfast, lockDir } from '../helpers/cli.js';
import { type TestPool, createPool, snapshotsOf, zfs } from '../helpers/zfs-lab.js';
import { type Reply, type RunningUi, request, startUi } from './ui-support.js';

// `holdfast ui`'s security and its wizard's locks, against the running server on a real pool:
// the token (401, then an HttpOnly SameSite=Strict cookie), the Host check, CSRF on every state
// change, the CSP on every response, escaping of values from the config and the command line,
// --read-only, the CLI's locks and messages, Ctrl-C.

// A directory name with every character HTML must escape (a dataset cannot have them; a path can).
const HOSTILE = `hf-ui-<img src=x onerror="alert(1)">&'-`;
let pool: TestPool;
let P: string;
let conf: string;
let locks: string;
let runFile: string;
let ui: RunningUi;
let cookie: string;

const get = (path: string, headers: Record<string, string> = {}): Promise<Reply> =>
  request(ui, 'GET', path, { headers: { cookie, ...headers } });
const post = (path: string, body: string, headers: Record<string, string> = {}): Promise<Reply> =>
  request(ui, 'POST', path, { headers: { cookie, ...headers }, body });
const csrfOf = (page: string): string => /name="csrf" value="([^"]+)"/.exec(page)![1]!;

beforeAll(async () => {
  pool = await createPool('ui', 128);
  P = pool.name;
  await zfs('create', `${P}/src`);
  await zfs('create', `${P}/src/a`);
  const dir = mkdtempSync(join(tmpdir(), HOSTILE));
  conf = join(dir, 'holdfast.conf');
  runFile = join(dir, 'snap<run>.prom');
  writeFileSync(conf, `[${P}/src]\nhourly = 2\ndaily = 1\nsnap = yes\nclean = yes\ndest = ${P}/dst/src\ndest_auto_create = yes\n`);
  locks = lockDir();
  ui = await startUi(conf, locks, ['--run', runFile]);
  const first = await request(ui, 'GET', `/?token=${ui.token}`);
  cookie = String(first.headers['set-cookie']).split(';')[0]!;
});
afterAll(async () => {
  await ui?.stop();
  await pool?.destroy();
});

describe('holdfast ui: access', () => {
  it('prints one URL on 127.0.0.1 with a fresh token', () => {
    expect(ui.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('answers 401 to every request without the token, or with a wrong one', async () => {
    for (const path of ['/', '/tree', '/api/compare', '/api/monitor', '/static/ui.js', '/wizard/snap', `/?token=${ui.token}x`]) {
      const r = await request(ui, 'GET', path);
      expect(r.status, path).toBe(401);
      expect(r.body).not.toContain(P);
    }
    expect((await request(ui, 'GET', '/', { headers: { cookie: `holdfast_ui=${ui.token}x` } })).status).toBe(401);
    expect((await request(ui, 'POST', '/wizard/snap', { body: 'csrf=x' })).status).toBe(401);
  });

  it('moves the token into an HttpOnly, SameSite=Strict cookie and out of the URL', async () => {
    const r = await request(ui, 'GET', `/compare?token=${ui.token}`);
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/compare');
    const set = String(r.headers['set-cookie']);
    expect(set).toContain(`holdfast_ui=${ui.token}`);
    expect(set).toMatch(/;\s*HttpOnly/);
    expect(set).toMatch(/;\s*SameSite=Strict/);
    const page = await get('/compare');
    expect(page.status).toBe(200);
    expect(page.body).toContain(`${P}/dst/src`);
  });

  it('refuses a Host header that is not the listen address (DNS rebinding), even with the cookie', async () => {
    for (const host of [`evil.example:${ui.port}`, `127.0.0.1:${ui.port + 1}`, 'evil.example']) {
      const r = await get('/api/compare', { host });
      expect(r.status, host).toBe(403);
      expect(r.body).not.toContain(P);
    }
    expect((await get('/', { host: `localhost:${ui.port}` })).status).toBe(200);
  });

  it('sends a restrictive Content-Security-Policy and no-referrer on every response', async () => {
    const replies = [await get('/'), await get('/static/ui.css'), await request(ui, 'GET', '/'), await get('/', { host: 'evil.example' })];
    for (const r of replies) {
      expect(r.headers['content-security-policy']).toBe(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
    const page = (await get('/')).body;
    expect(page.match(/<script[^>]*>/g)).toEqual(['<script src="/static/ui.js" defer>']); // no inline script
    expect(page).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i); // no event handler attributes
  });

  it('escapes values from the config and the command line (a path with <img … onerror=…>)', async () => {
    const page = (await get('/')).body;
    expect(page).not.toContain('<img');
    expect(page).toContain('hf-ui-&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;-');
    expect(page).toContain('snap&lt;run&gt;.prom'); // the --run file's check (monitor's words)
    expect(page).not.toContain('snap<run>');
  });
});

describe('holdfast ui: state changes', () => {
  it('changes nothing on GET, or on a POST without the right CSRF token', async () => {
    const before = await snapshotsOf(`${P}/src`);
    const plan = await get('/wizard/snap');
    expect(plan.status).toBe(200);
    expect(plan.body).toContain(`zfs snapshot`);
    for (const body of ['', 'csrf=', `csrf=${ui.token}`, `csrf=${csrfOf(plan.body)}x`]) {
      const r = await post('/wizard/snap', body);
      expect(r.status, body).toBe(403);
    }
    expect((await request(ui, 'PUT', '/wizard/snap', { headers: { cookie }, body: `csrf=${csrfOf(plan.body)}` })).status).toBe(405);
    expect(await snapshotsOf(`${P}/src`)).toEqual(before);
  });

  it('runs a step on POST with the CSRF token, and streams its lines and result (Server-Sent Events)', async () => {
    const r = await post('/wizard/snap', `csrf=${csrfOf((await get('/wizard/snap')).body)}`);
    expect(r.status).toBe(303);
    const events = await get(`/api/jobs/${String(r.headers.location).split('/').pop()}/events`);
    expect(events.headers['content-type']).toContain('text/event-stream');
    expect(events.body).toMatch(/event: line\ndata: .*snap: took 4, destroyed 0 snapshots on 2 datasets/);
    expect(events.body).toMatch(/event: done\ndata: \{"ok":true,"code":0/);
    expect((await snapshotsOf(`${P}/src`)).length).toBe(2);
  });

  it("refuses a wizard snap while cron's snap holds the lock, with the CLI's message", async () => {
    const holder = hold(join(locks, 'snap.lock'));
    try {
      const cli = await holdfast(['--config', conf, '--lock-dir', locks, 'snap']);
      expect(cli.code).toBe(3);
      const r = await post('/wizard/snap', `csrf=${csrfOf((await get('/wizard/snap')).body)}`);
      const events = (await get(`/api/jobs/${String(r.headers.location).split('/').pop()}/events`)).body;
      expect(events).toContain(JSON.stringify(cli.stderr.trim()).slice(1, -1));
      expect(events).toMatch(/"ok":false,"code":3/);
    } finally {
      holder.kill();
    }
  });

  it("refuses a wizard send into a destination cron's send is replicating into, with the CLI's message", async () => {
    const sent = await holdfast(['--config', conf, '--lock-dir', locks, 'send']);
    expect(sent.code, sent.stderr).toBe(0);
    const name = readdirSync(locks).find((f) => f.startsWith('send-') && f.endsWith('.lock'))!;
    const holder = hold(join(locks, name));
    try {
      const cli = await holdfast(['--config', conf, '--lock-dir', locks, 'send']);
      expect(cli.code).toBe(3);
      const line = /another holdfast send is replicating into [^\n]*skipped/.exec(cli.stderr)![0];
      const r = await post('/wizard/send', `csrf=${csrfOf((await get('/wizard/send')).body)}`);
      const events = (await get(`/api/jobs/${String(r.headers.location).split('/').pop()}/events`)).body;
      expect(events).toContain(line);
      expect(events).toMatch(/"ok":false,"code":3/);
    } finally {
      holder.kill();
    }
  });

  it('--read-only serves the views and runs nothing', async () => {
    const ro = await startUi(conf, locks, ['--read-only']);
    try {
      const c = String((await request(ro, 'GET', `/?token=${ro.token}`)).headers['set-cookie']).split(';')[0]!;
      const page = await request(ro, 'GET', '/wizard/snap', { headers: { cookie: c } });
      expect(page.status).toBe(200);
      expect(page.body).toContain('read-only: nothing runs');
      expect(page.body).not.toContain('id="run"');
      const before = await snapshotsOf(`${P}/src`);
      const r = await request(ro, 'POST', '/wizard/snap', { headers: { cookie: c }, body: `csrf=${csrfOf(page.body)}` });
      expect(r.status).toBe(403);
      expect(await snapshotsOf(`${P}/src`)).toEqual(before);
      expect((await request(ro, 'GET', '/api/compare', { headers: { cookie: c } })).status).toBe(200);
    } finally {
      await ro.stop();
    }
  });

  it('a token is per server: another server refuses this one', async () => {
    const other = await startUi(conf, locks, ['--read-only']);
    try {
      expect(other.token).not.toBe(ui.token);
      expect((await request(other, 'GET', '/', { headers: { cookie } })).status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  it('stops on Ctrl-C with the one interruption line', async () => {
    const u = await startUi(conf, locks);
    const r = await u.stop();
    expect(r.code).toBe(130);
    expect(u.stderr()).toContain('interrupted by SIGINT during ui');
  });
});

describe('holdfast ui: --listen', () => {
  it('refuses a --listen that is no ADDRESS:PORT, with one line', async () => {
    const r = await holdfast(['--config', conf, '--lock-dir', locks, 'ui', '--listen', 'nowhere']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('holdfast: ui: --listen nowhere: give ADDRESS:PORT, e.g. --listen 127.0.0.1:8765 (port 0: a free one)');
  });

  it('warns when it listens on an address other than loopback', async () => {
    const u = await startUi(conf, locks, ['--listen', '0.0.0.0:0', '--read-only']);
    try {
      expect(u.stderr()).toContain('holdfast ui: listening on 0.0.0.0, not on loopback');
    } finally {
      await u.stop();
    }
  });
});

// Hold a lock file from another process (the same flock(2) a holdfast run takes).
function hold(path: string): ChildProcess {
  return spawn('flock', [path, 'sleep', '60'], { stdio: 'ignore' });
}

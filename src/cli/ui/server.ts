import type { AddressInfo } from 'node:net';
import { type ServerType, createAdaptorServer } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { messageOf } from '../../app/failures.js';
import { CSS, JS } from './assets.js';
import { type UiInputs, compareDoc, monitorDoc, overviewDocs, planDoc, statusDocs, treeDoc } from './docs.js';
import { html, raw } from './html.js';
import { Job } from './jobs.js';
import { overviewModel } from './models.js';
import { type PageContext, comparePage, jobPage, layout, overviewPage, planPage, stepPage, treePage } from './pages.js';
import { COOKIE, SECURITY_HEADERS, type Secrets, allowedHosts, cookieValue, same, sessionCookie } from './security.js';
import { type Fresh, type StepName, planStep, runStep } from './steps.js';

// `holdfast ui`'s HTTP server: the pages, the JSON API and the wizard's jobs, behind the access
// rules of security.ts (in this order: Host, token, then CSRF for a POST).

export interface UiOptions {
  readonly host: string;
  readonly port: number; // 0: a free one
  readonly readOnly: boolean;
  readonly config: string;
  readonly secrets: Secrets;
  readonly inputs: UiInputs;
  readonly fresh: Fresh; // a CommandEnv per page or step (config read again, listings fresh)
}

export interface RunningUi {
  readonly url: string; // with the token
  readonly port: number;
  close(): Promise<void>;
}

const STEPS: readonly StepName[] = ['snap', 'send', 'cleanup'];
const NEXT: Readonly<Record<StepName, string>> = { snap: '/wizard/send', send: '/wizard/cleanup', cleanup: '/' };

export function uiApp(o: UiOptions, port: () => number): Hono {
  const app = new Hono();
  const jobs = new Map<string, Job>();
  let running: Job | undefined; // one step at a time, as cron's runs take turns
  const page = (title: string): PageContext => ({ title, config: o.config, readOnly: o.readOnly, csrf: o.secrets.csrf });

  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  });

  // DNS rebinding: only the names of the listen address.
  app.use('*', async (c, next) => {
    const host = c.req.header('host');
    if (!host || !allowedHosts(o.host, port()).has(host.toLowerCase()))
      return c.text(`holdfast ui: Host "${host ?? ''}" is not the address it listens on; open the URL it printed\n`, 403);
    await next();
  });

  // The token: once in the URL, then an HttpOnly, SameSite=Strict cookie (the URL loses it).
  app.use('*', async (c, next) => {
    const given = c.req.query('token');
    if (given !== undefined && same(given, o.secrets.token)) {
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      c.header('Set-Cookie', sessionCookie(o.secrets.token));
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    if (!same(cookieValue(c.req.header('cookie'), COOKIE), o.secrets.token))
      return c.text('holdfast ui: no access token; open the URL `holdfast ui` printed (it carries ?token=…)\n', 401);
    await next();
  });

  // A state change: POST only, with the page's CSRF token; never in --read-only.
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    if (c.req.method !== 'POST') return c.text('holdfast ui: method not allowed\n', 405);
    const body = await c.req.parseBody();
    if (!same(typeof body.csrf === 'string' ? body.csrf : undefined, o.secrets.csrf))
      return c.text('holdfast ui: missing or wrong CSRF token; reload the page and try again\n', 403);
    if (o.readOnly) return c.text('holdfast ui --read-only: nothing runs\n', 403);
    c.set('body' as never, body as never);
    await next();
  });

  app.onError((e, c) => c.html(layout(page('Error'), html`<p class="bad" id="error">holdfast: ${messageOf(e)}</p>`), 500));

  app.get('/static/ui.css', (c) => c.body(CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }));
  app.get('/static/ui.js', (c) => c.body(JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));

  // The JSON API: the CLI's --json documents.
  app.get('/api/tree', async (c) => c.json(await treeDoc(o.fresh(true), c.req.query('what'))));
  app.get('/api/compare', async (c) => c.json(await compareDoc(o.fresh(true), c.req.query('section'))));
  app.get('/api/monitor', async (c) => c.json(await monitorDoc(o.fresh(true), o.inputs)));
  app.get('/api/plan', async (c) => c.json(await planDoc(o.fresh(true))));
  app.get('/api/status', async (c) => c.json(await statusDocs(o.fresh(true))));

  app.get('/', async (c) => {
    const env = o.fresh(true); // one context: one listing per host for the whole page
    try {
      const { tree, compare, monitor, stores } = await overviewDocs(env, o.inputs);
      return c.html(layout(page('Overview'), overviewPage(overviewModel(tree, compare, monitor, stores))));
    } finally {
      env.close();
    }
  });
  app.get('/tree', async (c) => c.html(layout(page('Tree'), treePage(await treeDoc(o.fresh(true), c.req.query('what') ?? 'all')))));
  app.get('/compare', async (c) => c.html(layout(page('Compare'), comparePage(await compareDoc(o.fresh(true))))));
  app.get('/plan', async (c) => c.html(layout(page('Plan'), planPage(await planDoc(o.fresh(true))))));

  app.get('/wizard', (c) => c.redirect('/wizard/snap', 303));
  for (const step of STEPS) {
    app.get(`/wizard/${step}`, async (c) => {
      let view;
      try {
        const p = await planStep(o.fresh, step);
        view = { step, next: NEXT[step], lines: p.lines, nothing: p.nothing, details: digestField(p.digest, p.explain) };
      } catch (e) {
        view = { step, next: NEXT[step], lines: [], nothing: true, error: `holdfast: ${messageOf(e)}` };
      }
      return c.html(layout(page('Wizard'), stepPage(page('Wizard'), view)));
    });
    app.post(`/wizard/${step}`, async (c) => {
      if (running && !running.result)
        return c.text(`holdfast ui: the wizard's ${running.step} is still running; wait for it to end\n`, 409);
      const body = (c.get('body' as never) ?? {}) as Record<string, unknown>;
      const job = new Job(step);
      jobs.set(job.id, job);
      running = job;
      void runStep(o.fresh, step, job, typeof body.digest === 'string' ? body.digest : undefined);
      return c.redirect(`/wizard/job/${job.id}`, 303);
    });
  }
  app.get('/wizard/job/:id', (c) => {
    const job = jobs.get(c.req.param('id'));
    if (!job) return c.text('holdfast ui: no such wizard step\n', 404);
    return c.html(layout(page('Wizard'), jobPage(job.id, job.step, NEXT[job.step as StepName])));
  });
  app.get('/api/jobs/:id/events', (c) => {
    const job = jobs.get(c.req.param('id'));
    if (!job) return c.text('holdfast ui: no such wizard step\n', 404);
    return streamSSE(c, (s) => follow(job, s, c));
  });
  return app;
}

// The form carries the digest of the plan shown; the explanation (snap's why) follows the plan.
function digestField(digest: string, explain: readonly string[]) {
  return html`<input type="hidden" form="confirm" name="digest" value="${digest}">${explain.length ? html`<h2>Why</h2><pre id="explain">${explain.join('\n')}</pre>` : raw('')}`;
}

// Replay the job's lines, follow new ones, end with the result.
async function follow(job: Job, s: Parameters<Parameters<typeof streamSSE>[1]>[0], c: Context): Promise<void> {
  let sent = 0;
  for (;;) {
    while (sent < job.lines.length) await s.writeSSE({ event: 'line', data: JSON.stringify(job.lines[sent++]) });
    if (job.result) {
      await s.writeSSE({ event: 'done', data: JSON.stringify(job.result) });
      return;
    }
    await new Promise<void>((resolve) => {
      const stop = job.follow(() => {
        stop();
        resolve();
      });
      c.req.raw.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (c.req.raw.signal.aborted) return;
  }
}

export async function startUi(o: UiOptions): Promise<RunningUi> {
  let port = o.port;
  const app = uiApp(o, () => port);
  const server: ServerType = createAdaptorServer({ fetch: app.fetch, hostname: o.host });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shown}:${port}/?token=${o.secrets.token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

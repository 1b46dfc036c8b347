import { describe, expect, it } from 'vitest';
import type { NotifyPorts } from '../../src/app/notify/ports.js';
import { notifyRun } from '../../src/app/notify/run.js';
import { redactUrl, scrubSecrets } from '../../src/app/notify/redact.js';
import { buildSummary } from '../../src/app/notify/summary.js';
import { failuresFor, notifyTargets } from '../../src/app/notify/targets.js';
import { parsePolicyText } from '../../src/config/parse.js';
import { memoryLog } from '../support/log.js';

const file = (text: string) => parsePolicyText(text, '/etc/holdfast/holdfast.conf');
const summary = (failures: { target: string; stage: string; message: string }[], exitCode = failures.length ? 1 : 0) =>
  buildSummary({ command: 'snap', counts: { taken: 2 }, failures, version: '0.1.0', host: 'nas', startedMs: 0, endedMs: 1500, exitCode });

function fakes(status = 200) {
  const posts: { url: string; body: unknown }[] = [];
  const runs: { argv: readonly string[]; input: string; env: Readonly<Record<string, string>> }[] = [];
  const ports: NotifyPorts = {
    post: async (url, body) => (posts.push({ url, body: JSON.parse(body) }), { status }),
    run: async (argv, input, env) => (runs.push({ argv, input, env }), { exitCode: 0, stderr: '' }),
  };
  const { log, lines: logs } = memoryLog();
  return { posts, runs, logs, deps: { log, ports } };
}

describe('notification keys', () => {
  it('accept http(s) URLs with known placeholders, failure|always, and a shell-free command', () => {
    const f = file(
      '[DEFAULT]\nnotify_url = https://hc-ping.com/abc/{exit_code}\nnotify_on = Always\nnotify_command = mail -s "holdfast" root\n[tank]\nhourly = 1\n',
    );
    expect(f.issues).toEqual([]);
    expect(f.notify[0]).toMatchObject({ section: 'DEFAULT', on: 'always' });
    expect(f.notify[0]!.argv).toEqual(['mail', '-s', 'holdfast', 'root']);
  });

  it('reject the rest, each with what to write', () => {
    const f = file(
      '[DEFAULT]\nnotify_url = ftp://x/y\nnotify_on = sometimes\nnotify_command = mail root | tee x\n[tank]\nnotify_url = https://x/{code}\n',
    );
    expect(f.issues.map((i) => `${i.line} ${i.severity} ${i.message}`)).toEqual([
      '2 error "ftp:" URLs cannot be posted to; use http:// or https://',
      '3 error "sometimes" is not failure or always',
      expect.stringMatching(/^4 error "\|" \(at character 11\) needs a shell/),
      '6 error unknown placeholder {code}; known: {exit_code} {status} {command}',
    ]);
  });
});

describe('redaction', () => {
  it('shows scheme://host/ and only the harmless words of a notify URL', () => {
    expect(redactUrl('https://hooks.slack.com/services/T0AAAA/B0BBBB/XXXXXXXXXXXXXXXX')).toBe('https://hooks.slack.com/services/…/…/…');
    expect(redactUrl('https://hc-ping.com/0f6e9c2a-1b7d-4c55-9b1e-1c2d3e4f5a6b/1')).toBe('https://hc-ping.com/…/1');
    expect(redactUrl('https://user:pa55@ntfy.example:8443/holdfast_x7q?auth=abc#f')).toBe('https://ntfy.example:8443/…?…#…');
    expect(redactUrl('not a url')).toBe('(an invalid URL)');
  });

  it('strips user info and queries from URLs inside messages, keeping where', () => {
    expect(scrubSecrets('s3://bucket/pre: denied; see https://u:secret@h.example/x?sig=abc now')).toBe(
      's3://bucket/pre: denied; see https://h.example/x?… now',
    );
  });
});

describe('summary', () => {
  it('holds command, host, times, counts, failures, exit code and version, and a line of text', () => {
    const s = summary([{ target: 'tank/a', stage: 'take', message: 'dataset is busy' }]);
    expect(s).toEqual({
      version: '0.1.0',
      command: 'snap',
      host: 'nas',
      status: 'failed',
      exitCode: 1,
      started: '1970-01-01T00:00:00.000Z',
      ended: '1970-01-01T00:00:01.500Z',
      durationMs: 1500,
      counts: { taken: 2 },
      failures: [{ target: 'tank/a', stage: 'take', message: 'dataset is busy' }],
      text: 'holdfast snap on nas: failed (exit 1); 1 failure: tank/a (take: dataset is busy); taken 2',
    });
  });
});

describe('targets', () => {
  const f = file(
    '[DEFAULT]\nnotify_url = https://hooks.example/all\n[tank]\nhourly = 1\n[tank/team]\nnotify_url = https://hooks.example/team\n[ssh:22:root@b:pool]\nhourly = 1\n',
  );

  it('group sections by where they notify; children inherit by the tree', () => {
    const t = notifyTargets(f).map((x) => [x.url, [...x.sections].sort()]);
    expect(t).toEqual([
      ['https://hooks.example/all', ['DEFAULT', 'ssh:22:root@b:pool', 'tank']],
      ['https://hooks.example/team', ['tank/team']],
    ]);
  });

  it("route a failure to its section's target; run-wide failures go everywhere", () => {
    const [all, team] = notifyTargets(f);
    const fails = [
      { target: 'tank/team/x', stage: 'take', message: 'm' },
      { target: 'tank/other@holdfast_x', stage: 'clean', message: 'm' },
      { target: 'ssh:22:root@b:pool/y', stage: 'take', message: 'm' },
      { target: 'run', stage: 'snap', message: 'lock held' },
    ];
    expect(failuresFor(f, all!, fails).map((x) => x.target)).toEqual(['tank/other@holdfast_x', 'ssh:22:root@b:pool/y', 'run']);
    expect(failuresFor(f, team!, fails).map((x) => x.target)).toEqual(['tank/team/x', 'run']);
  });
});

describe('notifyRun', () => {
  it('on failure only (the default): nothing for a clean run, the summary for a failed one', async () => {
    const f = file('[DEFAULT]\nnotify_url = https://hc-ping.com/0f6e9c2a-1b7d/{exit_code}\n[tank]\nhourly = 1\n');
    const a = fakes();
    await notifyRun(a.deps, f, summary([]));
    expect(a.posts).toEqual([]);
    await notifyRun(a.deps, f, summary([{ target: 'tank', stage: 'take', message: 'busy' }]));
    expect(a.posts.map((p) => p.url)).toEqual(['https://hc-ping.com/0f6e9c2a-1b7d/1']);
    expect(a.logs).toEqual(['INFO notified https://hc-ping.com/…/… (HTTP 200)']);
  });

  it('always: every run, with {exit_code} 0 for a clean one; a section target hears only its own', async () => {
    const f = file(
      '[DEFAULT]\nnotify_url = https://h.example/all/{status}\nnotify_on = always\n[tank/a]\nnotify_url = https://h.example/a/{exit_code}\n[tank/b]\nhourly = 1\n',
    );
    const a = fakes();
    await notifyRun(a.deps, f, summary([{ target: 'tank/b', stage: 'take', message: 'busy' }]));
    expect(a.posts.map((p) => [p.url, (p.body as { failures: unknown[] }).failures.length])).toEqual([
      ['https://h.example/all/fail', 1],
      ['https://h.example/a/0', 0],
    ]);
  });

  it('never throws and never changes the outcome: a refused connection or HTTP 500 is logged, redacted', async () => {
    const f = file('[DEFAULT]\nnotify_url = https://user:pw@h.example/hook/S3CR3T-T0KEN?k=v\nnotify_on = always\n');
    const a = fakes(500);
    const r = await notifyRun(a.deps, f, summary([]));
    expect(r).toEqual([{ where: 'https://h.example/hook/…?…', sent: true, ok: false, detail: 'HTTP 500' }]);
    const dead = fakes();
    dead.deps.ports.post = async (url) => Promise.reject(new Error(`connect ECONNREFUSED while posting ${url}`));
    const r2 = await notifyRun(dead.deps, f, summary([]));
    expect(r2[0]?.ok).toBe(false);
    expect([...a.logs, ...dead.logs].join('\n')).not.toMatch(/S3CR3T|pw@|k=v/);
    expect(dead.logs[0]).toBe(
      "WARN notification to https://h.example/hook/…?… failed: connect ECONNREFUSED while posting https://h.example/hook/…?…; the run's result stands",
    );
  });

  it('notify_command gets the JSON on stdin and the status in its environment, unless refused', async () => {
    const f = file('[DEFAULT]\nnotify_command = mail -s holdfast root\n');
    const a = fakes();
    await notifyRun(a.deps, f, summary([{ target: 'tank', stage: 'take', message: 'busy' }]));
    expect(a.runs[0]?.argv).toEqual(['mail', '-s', 'holdfast', 'root']);
    expect(JSON.parse(a.runs[0]!.input)).toMatchObject({ command: 'snap', status: 'failed', exitCode: 1 });
    expect(a.runs[0]?.env).toMatchObject({ HOLDFAST_STATUS: 'failed', HOLDFAST_EXIT_CODE: '1', HOLDFAST_COMMAND: 'snap' });
    const refused = fakes();
    const r = await notifyRun(
      { ...refused.deps, commandsRefused: 'the file is writable by everyone' },
      f,
      summary([{ target: 'tank', stage: 'take', message: 'busy' }]),
    );
    expect(refused.runs).toEqual([]);
    expect(r[0]?.detail).toBe('not run: the file is writable by everyone');
  });
});

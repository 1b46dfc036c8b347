import { type ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { BIN } from '../helpers/cli.js';

// `holdfast ui` as a running server for the ui test files: started with the built CLI, its URL
// read from its first line of stdout, stopped with SIGINT (Ctrl-C).

export interface RunningUi {
  readonly url: string; // as printed, with ?token=
  readonly base: string; // http://127.0.0.1:PORT
  readonly token: string;
  readonly port: number;
  stderr(): string;
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startUi(config: string, lockDir: string, args: readonly string[] = []): Promise<RunningUi> {
  const child: ChildProcess = spawn(process.execPath, [BIN, '--config', config, '--lock-dir', lockDir, 'ui', ...args], {
    env: { ...process.env, TZ: 'UTC', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`holdfast ui printed no URL in 20 s; stderr: ${err}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0]!;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`holdfast ui exited ${code}: ${err}`)));
  });
  const u = new URL(url);
  return {
    url,
    base: `${u.protocol}//${u.host}`,
    token: u.searchParams.get('token')!,
    port: Number(u.port),
    stderr: () => err,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
        child.once('exit', (code, signal) => resolve({ code, signal }));
        child.kill('SIGINT');
      }),
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

// One HTTP request with every header under the test's control (fetch would not send our Host).
export function request(
  ui: Pick<RunningUi, 'port'>,
  method: string,
  path: string,
  o: { headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: ui.port, method, path, headers: { host: `127.0.0.1:${ui.port}`, ...o.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    if (o.body !== undefined) {
      req.setHeader('content-type', 'application/x-www-form-urlencoded');
      req.end(o.body);
    } else req.end();
  });
}

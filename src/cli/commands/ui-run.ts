import type { Body } from '../action.js';
import { CommandEnv } from '../compose/env.js';
import { openInBrowser } from '../compose/ui.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { freshSecrets } from '../ui/security.js';
import { startUi } from '../ui/server.js';

// The options of the command, as commander gives them (they are defined in ui.ts).
export interface UiFlags {
  listen?: string;
  readOnly?: boolean;
  open?: boolean;
  run?: string[];
}

// The body of `holdfast ui` (registered in ui.ts): serve until Ctrl-C (or SIGTERM).
export const uiBody: Body<UiFlags> = async (env, o) => {
  const { host, port } = listenOf(o.listen);
  await env.config(); // a config with errors stops here, as every command does
  if (!isLoopback(host))
    env.err(`holdfast ui: listening on ${host}, not on loopback: anyone who can reach it and has the URL can run snap, send and cleanup\n`);
  const ui = await startUi({
    host,
    port,
    readOnly: Boolean(o.readOnly),
    config: env.g.config,
    secrets: freshSecrets(),
    inputs: { runs: o.run ?? [] },
    // Each page and wizard step gets its own env: the config read again, fresh listings; the
    // same interruption, so Ctrl-C also stops a running step's children.
    fresh: (dryRun) =>
      new CommandEnv(
        { ...env.g, dryRun, json: false },
        env.stop,
        () => undefined,
        () => undefined,
      ),
  });
  env.out(`${ui.url}\n`);
  if (o.open && !(await openInBrowser(ui.url))) env.err('holdfast ui: --open: no desktop browser (xdg-open) here; open the URL above\n');
  await new Promise<void>((resolve) => env.stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  await ui.close();
  return EXIT.ok;
};

const isLoopback = (host: string): boolean => host === '127.0.0.1' || host === '::1' || host === 'localhost';

// ADDR:PORT, [IPv6]:PORT, or :PORT (127.0.0.1).
function listenOf(text: string | undefined): { host: string; port: number } {
  if (text === undefined) return { host: '127.0.0.1', port: 0 };
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]*)):(\d{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || port > 65535)
    throw new UsageError(`ui: --listen ${text}: give ADDRESS:PORT, e.g. --listen 127.0.0.1:8765 (port 0: a free one)`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

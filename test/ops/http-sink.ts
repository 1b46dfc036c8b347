import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

// A local HTTP endpoint that records what notifications POST to it. `mode`: answer 200,
// answer 500, or never answer (a hung webhook).
export interface HttpSink {
  readonly base: string; // http://127.0.0.1:PORT
  readonly received: Received[];
  close(): Promise<void>;
}

export function startHttpSink(mode: 'ok' | 'error' | 'hang' = 'ok'): Promise<HttpSink> {
  const received: Received[] = [];
  const hung: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (b: Buffer) => (body += b.toString()));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (mode === 'hang') return void hung.push(() => res.destroy());
      res.writeHead(mode === 'ok' ? 200 : 500, { 'content-type': 'text/plain' }).end(mode === 'ok' ? 'OK' : 'boom');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        base: `http://127.0.0.1:${port}`,
        received,
        close: () => {
          for (const h of hung) h();
          server.closeAllConnections();
          return new Promise((r) => server.close(() => r()));
        },
      });
    });
  });
}

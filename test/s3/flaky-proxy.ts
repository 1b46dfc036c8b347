import { createServer, connect, type Socket } from 'node:net';

// A TCP proxy in front of Swift that cuts (RST) connections once they carried more than
// `cutAfterBytes` upstream, at most `maxCuts` times: a part upload dying mid-transfer, on demand.
export interface FlakyProxy {
  endpoint: string;
  readonly cuts: number;
  close(): Promise<void>;
}

export async function startFlakyProxy(target: string, cutAfterBytes: number, maxCuts: number): Promise<FlakyProxy> {
  const { hostname, port } = new URL(target);
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    let sent = 0;
    client.on('data', (d: Buffer) => {
      sent += d.length;
      if (sent > cutAfterBytes && cuts < maxCuts) {
        cuts++;
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      upstream.write(d);
    });
    upstream.pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${addr.port}`,
    get cuts() {
      return cuts;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

import { once } from 'node:events';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Manifest } from '../../domain/store/manifest.js';
import type { BlobStore, ReceiveSink, StoreKey, StorePorts } from './ports.js';

// Why: restore and verify read an object the same way: get, check size and sha256 on the fly
// (the tail is held back until they match), then decrypt (verify does not: the checksum covers
// the stored bytes). The object is named in every error.
export async function openVerified(
  ports: StorePorts,
  store: BlobStore,
  m: Manifest,
  key: StoreKey | undefined,
  decrypt = true,
): Promise<Readable> {
  const what = `${store.url}/${m.object.key}`;
  const src = await store.get(m.object.key);
  const stages: Transform[] = [ports.verifier({ bytes: m.object.bytes, sha256: m.object.sha256 }, what)];
  if (m.filters.encryption && decrypt) {
    if (!key) throw new Error(`${what} is encrypted (key id ${m.filters.encryption.keyId}) and no key was given`);
    stages.push(ports.decrypt(key));
  }
  const last = stages[stages.length - 1]!;
  pipeline([src, ...stages]).catch((e: unknown) => last.destroy(named(e, what)));
  return last;
}

// Copy `from` into a receiving pipeline. Stops at once when the pipeline dies (a write would
// otherwise wait forever for 'drain'); on any failure zfs receive is killed before it can see
// the end of the stream, so it keeps nothing of it.
export async function feed(from: Readable, sink: ReceiveSink): Promise<string> {
  const finished = sink.finish();
  finished.catch(() => undefined);
  const ended = finished.then(
    () => 'ended' as const,
    () => 'ended' as const,
  );
  try {
    for await (const chunk of from) {
      if (!sink.stdin.write(chunk)) {
        const drained = once(sink.stdin, 'drain').then(
          () => 'drain' as const,
          () => 'ended' as const,
        ); // EPIPE: the stage died
        if ((await Promise.race([drained, ended])) === 'ended') {
          from.destroy(); // the receiving side is gone: finish() below says why
          break;
        }
      }
    }
    sink.stdin.end();
  } catch (e) {
    sink.kill();
    from.destroy();
    await finished.catch(() => undefined);
    throw e;
  }
  return finished;
}

function named(e: unknown, what: string): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.message.includes(what)) return err;
  const out = new Error(`${what}: ${err.message}`, { cause: err });
  out.name = err.name;
  return out;
}

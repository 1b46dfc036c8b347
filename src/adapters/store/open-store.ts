import { parseDestination } from './dest-url.js';
import { FileStore } from './file-store.js';
import type { ObjectStore } from './object-store.js';
import type { S3Settings } from './s3-settings.js';

export interface OpenStoreOptions {
  s3?: Partial<S3Settings>; // from the config file; the environment may override (s3-settings.ts)
  chunkSize?: number; // file:// only
  env?: NodeJS.ProcessEnv;
  // The run's interruption (SIGTERM…): cancels a streaming put() (the partial upload is removed).
  signal?: AbortSignal;
}

// Why: the pipeline names a dest; this picks the adapter. The S3 modules (and the AWS SDK they
// load) are imported only for s3:// destinations, keeping them off holdfast's start-up path.
export async function openStore(dest: string, opts: OpenStoreOptions = {}): Promise<ObjectStore> {
  const d = parseDestination(dest);
  if (d.kind === 'file')
    return FileStore.open(dest, {
      ...(opts.chunkSize === undefined ? {} : { chunkSize: opts.chunkSize }),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  const [{ resolveS3Settings }, { loadS3Credentials }, { S3Store }] = await Promise.all([
    import('./s3-settings.js'),
    import('./s3-credentials.js'),
    import('./s3-store.js'),
  ]);
  const env = opts.env ?? process.env;
  const settings = resolveS3Settings(opts.s3, env);
  const credentials = await loadS3Credentials(
    { ...(settings.credentialsFile ? { file: settings.credentialsFile } : {}), ...(settings.profile ? { profile: settings.profile } : {}) },
    env,
  );
  return S3Store.open(dest, settings, credentials, opts.signal);
}

import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Credentials } from './s3-credentials.js';
import type { S3Settings } from './s3-settings.js';

// The SDK module, loaded on first use (it costs ~100 ms and is not needed for zfs/ssh targets).
export type S3Sdk = typeof import('@aws-sdk/client-s3');

// A built client and the SDK it came from (commands are classes of that module).
export interface S3Handle {
  sdk: S3Sdk;
  client: S3Client;
}

// Why: builds the one SDK client holdfast uses, with the pitfalls of s3-swift.md handled:
// path-style, checksums only when required (else streamed bodies go aws-chunked and Swift says 501),
// Content-MD5 on DeleteObjects, SDK retries off (ours are bounded), no Node-version warning.
export async function createS3Handle(settings: S3Settings, credentials: S3Credentials): Promise<S3Handle> {
  // The SDK reads this env var when a client is built; only set it if the user did not.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk = await import('@aws-sdk/client-s3');
  const client = new sdk.S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: credentials.forSdk(),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: 10_000,
      requestTimeout: settings.requestTimeoutMs,
      httpAgent: { keepAlive: true, maxSockets: settings.concurrency + 4 },
      httpsAgent: { keepAlive: true, maxSockets: settings.concurrency + 4 },
    },
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  });
  // typed structurally here (the SDK's middleware types live in a package we do not depend on)
  client.middlewareStack.add(contentMd5Middleware as never, { step: 'build', name: 'holdfastDeleteObjectsContentMd5', priority: 'low' });
  return { sdk, client };
}

// Commands whose body S3-compatible servers want a Content-MD5 for (the SDK sends a CRC32 now).
const MD5_COMMANDS = new Set(['DeleteObjectsCommand', 'PutBucketLifecycleConfigurationCommand']);

type BuildArgs = { request: unknown };
type Next = (args: BuildArgs) => Promise<unknown>;

// DeleteObjects stopped sending Content-MD5 (the SDK sends a CRC32 instead); Swift, like many
// S3-compatibles, requires it. Adds it to those commands' requests.
function contentMd5Middleware(next: Next, context: { commandName?: string }): Next {
  return async (args) => {
    const req = args.request as { headers?: Record<string, string>; body?: unknown };
    if (MD5_COMMANDS.has(context.commandName ?? '') && req.headers && (typeof req.body === 'string' || req.body instanceof Uint8Array)) {
      req.headers['content-md5'] = createHash('md5').update(req.body).digest('base64');
    }
    return next(args);
  };
}

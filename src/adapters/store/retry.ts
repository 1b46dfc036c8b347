// Bounded retries with exponential backoff. The SDK's own retries are off (maxAttempts: 1), so
// this is the only retry loop and its bound is the whole story.

export interface RetryPolicy {
  retries: number; // extra attempts after the first
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 250, maxDelayMs: 8_000 };

// Why: one loop for every S3 call: retry only what isRetryable says is transient, then give up.
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  isRetryable: (err: unknown) => boolean,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= policy.retries || !isRetryable(err) || signal?.aborted) throw err;
      await sleep(backoffMs(attempt, policy), signal);
    }
  }
}

// Full jitter: a random delay in [d/2, d] with d = base × 2^attempt, capped.
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const d = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return d / 2 + Math.random() * (d / 2);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

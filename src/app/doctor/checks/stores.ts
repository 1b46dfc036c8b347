import { locationLabel } from '../../../domain/location.js';
import { messageOf } from '../../failures.js';
import { scrubSecrets } from '../../notify/redact.js';
import type { DoctorCheck, DoctorDeps, Finding } from '../finding.js';
import type { Destination } from '../inventory.js';

// s3:// and file:// destinations answer: for S3 one request on the bucket with the configured
// credentials (a wrong secret, a missing bucket or a dead endpoint each say what to fix).
export const storesCheck: DoctorCheck = async (d) => {
  const seen = new Set<string>();
  const stores = d.inventory.destinations.filter((t) => {
    if (t.location.kind !== 's3' && t.location.kind !== 'file') return false;
    const url = locationLabel(t.location);
    return !seen.has(url) && Boolean(seen.add(url));
  });
  return Promise.all(stores.map((t) => checkStore(d, t)));
};

async function checkStore(d: DoctorDeps, t: Destination): Promise<Finding> {
  const url = locationLabel(t.location);
  const check = t.location.kind === 's3' ? 's3' : 'store';
  const problem = await d.storeProblem?.(url).catch(() => undefined);
  if (problem)
    return { check, where: url, status: 'fail', detail: problem, fix: `correct the settings of [${url}] (holdfast check shows them)` };
  try {
    const store = await d.openStore(url);
    try {
      await store.check();
    } finally {
      await store.close().catch(() => undefined);
    }
    return {
      check,
      where: url,
      status: 'ok',
      detail: t.location.kind === 's3' ? 'the bucket answers with these credentials' : 'the directory is usable',
    };
  } catch (e) {
    return { check, where: url, status: 'fail', ...fixFor(e, t) };
  }
}

// The store's errors already say what to do; the part from "check", "run:", "set", "configure"
// or "create" on is the fix.
function fixFor(e: unknown, t: Destination): { detail: string; fix: string } {
  const name = (e as { name?: string }).name ?? '';
  const text = scrubSecrets(messageOf(e));
  const m = /^(.*?)[;:]\s*((?:check|run:|set|configure|create)\b.*)$/s.exec(text);
  if (m) return { detail: m[1]!, fix: m[2]!.replace(/^run:\s*/, '') };
  const at = `[${t.section}] (line ${t.line})`;
  const fixes: Record<string, string> = {
    S3BucketNotFoundError: 'create the bucket (holdfast does not create buckets), or correct dest in ' + at,
    S3UnreachableError: 'check the endpoint (HOLDFAST_S3_ENDPOINT or AWS_ENDPOINT_URL) and the network',
    S3AccessDeniedError: 'grant these credentials list/read/write on the bucket',
  };
  return { detail: text, fix: fixes[name] ?? `correct dest in ${at}, or the store's settings` };
}

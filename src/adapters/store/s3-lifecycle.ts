import { s3Call, type S3Target } from './s3-ops.js';

// What ensureTransition did: nothing to do, wrote the rule, or the server has no lifecycle API.
export type TransitionOutcome = 'unchanged' | 'updated' | 'unsupported';

interface Rule {
  ID?: string;
  Status?: string;
  Filter?: { Prefix?: string };
  Transitions?: { Days?: number; StorageClass?: string }[];
  [k: string]: unknown;
}

// Why: ZFSBackup's Glacier rule: stream objects under PREFIX/streams/ move to an archive class
// after N days. The bucket's other rules are kept (a lifecycle PUT replaces the whole set), and
// only holdfast's own rule (by ID) is ever replaced. Manifests are never transitioned.
export async function ensureTransition(t: S3Target, streamsPrefix: string, days: number, storageClass: string): Promise<TransitionOutcome> {
  const { sdk, client } = t.handle;
  const id = `holdfast-transition ${streamsPrefix}`.slice(0, 255);
  let rules: Rule[];
  try {
    const out = await s3Call(t, 'GetBucketLifecycleConfiguration', () =>
      client.send(new sdk.GetBucketLifecycleConfigurationCommand({ Bucket: t.bucket })),
    );
    rules = (out.Rules ?? []) as Rule[];
  } catch (err) {
    const text = String(err);
    if (/NoSuchLifecycleConfiguration/.test(text)) rules = [];
    else if (/NotImplemented|MethodNotAllowed|not implemented/i.test(text)) return 'unsupported';
    else throw err;
  }
  const want: Rule = {
    ID: id,
    Status: 'Enabled',
    Filter: { Prefix: streamsPrefix },
    Transitions: [{ Days: days, StorageClass: storageClass }],
  };
  const mine = rules.find((r) => r.ID === id);
  if (
    mine &&
    mine.Status === 'Enabled' &&
    mine.Filter?.Prefix === streamsPrefix &&
    mine.Transitions?.[0]?.Days === days &&
    mine.Transitions?.[0]?.StorageClass === storageClass
  )
    return 'unchanged';
  const next = [...rules.filter((r) => r.ID !== id), want];
  try {
    await s3Call(t, 'PutBucketLifecycleConfiguration', () =>
      client.send(new sdk.PutBucketLifecycleConfigurationCommand({ Bucket: t.bucket, LifecycleConfiguration: { Rules: next as never } })),
    );
  } catch (err) {
    // Swift's s3api has no lifecycle API: it reads the PUT as a CreateBucket and answers MalformedXML.
    if (/NotImplemented|MethodNotAllowed|not implemented|MalformedXML/i.test(String(err))) return 'unsupported';
    throw err;
  }
  return 'updated';
}

import { fileURLToPath } from 'node:url';
import { StoreKeyError } from './errors.js';

// A parsed `dest`: where the store lives.
export type Destination =
  | { kind: 's3'; url: string; bucket: string; prefix: string } // prefix '' or ending in '/'
  | { kind: 'file'; url: string; root: string };

// Why: `dest` is written by users as s3://BUCKET/PREFIX or file:///PATH; reject anything else early.
export function parseDestination(dest: string): Destination {
  const s3 = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(dest);
  if (s3) {
    const bucket = s3[1] as string;
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new StoreKeyError(`${dest}: "${bucket}" is not a valid bucket name`);
    const prefix = (s3[2] ?? '').replace(/^\/+|\/+$/g, '');
    return { kind: 's3', url: `s3://${bucket}${prefix ? `/${prefix}` : ''}`, bucket, prefix: prefix ? `${prefix}/` : '' };
  }
  if (dest.startsWith('file://')) {
    let root: string;
    try {
      root = fileURLToPath(dest);
    } catch (err) {
      throw new StoreKeyError(`${dest}: not a file:///absolute/path URL`, { cause: err });
    }
    return { kind: 'file', url: dest, root: root.replace(/\/+$/, '') || '/' };
  }
  throw new StoreKeyError(`${dest}: a destination must be s3://BUCKET/PREFIX or file:///PATH`);
}

// Why: keys are relative paths chosen by holdfast; refuse ones that could escape a prefix/root
// or collide with the file store's reserved names.
export function checkKey(key: string): void {
  const bad =
    key === '' ||
    key.startsWith('/') ||
    key.endsWith('/') ||
    key.includes('\0') ||
    key.split('/').some((seg) => seg === '' || seg === '.' || seg === '..' || seg.startsWith('.tmp-') || seg.startsWith('.trash-')) ||
    key.endsWith('.chunks');
  if (bad) throw new StoreKeyError(`invalid object key ${JSON.stringify(key)}`);
}

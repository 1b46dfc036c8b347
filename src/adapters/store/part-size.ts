// Pure part-size policy for S3 multipart uploads (no I/O; unit-tested in test/unit/part-size*.test.ts).

export const MiB = 1024 * 1024;
export const MIN_PART_SIZE = 5 * MiB; // S3: every part but the last
export const MAX_PART_SIZE = 5 * 1024 * MiB; // S3: 5 GiB
export const MAX_PARTS = 10_000; // S3 (Swift: max_upload_part_num)
export const MAX_OBJECT_SIZE = 5 * 1024 * 1024 * MiB; // S3: 5 TiB
export const DOUBLING_PARTS = 1000; // unknown size: the part size doubles every 1000 parts

// Why: z3's rule: the smallest part size (whole MiB, >= the requested size) that keeps a
// stream of known size within 10,000 parts.
export function partSizeForKnownSize(totalBytes: number, requested = MIN_PART_SIZE): number {
  if (!Number.isFinite(totalBytes) || totalBytes < 0) throw new RangeError(`bad size ${totalBytes}`);
  if (totalBytes > MAX_OBJECT_SIZE) throw new RangeError(`${totalBytes} bytes exceeds the 5 TiB S3 object limit`);
  return Math.max(clampRequested(requested), Math.ceil(totalBytes / MAX_PARTS / MiB) * MiB);
}

// Why: for a stream of unknown size the part size must grow with the part count so that 10,000
// parts still hold 5 TiB, while small streams keep small parts (memory = part × (concurrency+1)).
// Part n (1-based) gets base × 2^((n-1)/1000), rounded down to a whole MiB, never below base.
export function partSizeForUnknownSize(partNumber: number, requested = MIN_PART_SIZE): number {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw new RangeError(`part number ${partNumber} is outside 1..${MAX_PARTS}`);
  }
  const base = clampRequested(requested);
  const grown = Math.floor((base * 2 ** ((partNumber - 1) / DOUBLING_PARTS)) / MiB) * MiB;
  return Math.min(MAX_PART_SIZE, Math.max(base, grown));
}

// Why: the one rule the uploader calls. A size hint is an estimate (`zfs send -nP`): parts sized
// for twice the hint stay constant for a stream that matches it (about 5,000 parts or fewer), and
// the unknown-size growth underneath still fits 5 TiB in 10,000 parts if the estimate was low.
export function partSizeFor(partNumber: number, requested = MIN_PART_SIZE, sizeHint?: number): number {
  const grown = partSizeForUnknownSize(partNumber, requested);
  if (sizeHint === undefined) return grown;
  return Math.max(grown, partSizeForKnownSize(Math.min(2 * Math.max(0, sizeHint), MAX_OBJECT_SIZE), requested));
}

function clampRequested(requested: number): number {
  if (!Number.isFinite(requested)) throw new RangeError(`bad part size ${requested}`);
  return Math.min(MAX_PART_SIZE, Math.max(MIN_PART_SIZE, Math.floor(requested)));
}

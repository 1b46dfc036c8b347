// Why: the decryptor must cut a chunked byte stream into fixed-size records without re-copying
// everything it holds on each chunk (Buffer.concat per chunk would be quadratic).
export class ByteQueue {
  private chunks: Buffer[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  // Removes and returns the first n bytes (n <= length).
  take(n: number): Buffer {
    if (n > this.size) throw new RangeError(`take(${n}) with only ${this.size} bytes queued`);
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const head = this.chunks[0] as Buffer;
      const want = n - filled;
      if (head.length <= want) {
        head.copy(out, filled);
        filled += head.length;
        this.chunks.shift();
      } else {
        head.copy(out, filled, 0, want);
        this.chunks[0] = head.subarray(want);
        filled += want;
      }
    }
    this.size -= n;
    return out;
  }
}

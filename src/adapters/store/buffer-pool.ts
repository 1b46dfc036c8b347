// Why: part buffers are reused, so an upload holds at most (concurrency + 1) parts whatever the
// garbage collector does with large external allocations.
export class PartBufferPool {
  private free: Buffer[] = [];

  constructor(private readonly maxFree: number) {}

  // A buffer of exactly `size` bytes (contents undefined).
  take(size: number): Buffer {
    const i = this.free.findIndex((b) => b.length === size);
    if (i >= 0) return this.free.splice(i, 1)[0] as Buffer;
    return Buffer.allocUnsafe(size);
  }

  // Returns a buffer once its part is uploaded. Smaller sizes than the newest are dropped
  // (part sizes only grow).
  give(buf: Buffer): void {
    this.free = this.free.filter((b) => b.length >= buf.length);
    if (this.free.length < this.maxFree) this.free.push(buf);
  }
}

// The run's transfer slots: at most `total` transfers in flight, and at most `perHost` touching
// one host (a transfer takes a slot on each of its hosts; both ends on one host take one). A
// waiter gets all its slots at once or none, so no two transfers hold half of what each needs;
// waiters are served in arrival order, but one that fits passes one that must wait.
export class Slots {
  private inFlight = 0;
  private readonly perHostInFlight = new Map<string, number>();
  private readonly waiting: { hosts: readonly string[]; grant: () => void }[] = [];

  constructor(
    readonly total: number,
    readonly perHost: number,
  ) {}

  // Resolves with the release function once the transfer may start.
  acquire(hosts: readonly string[]): Promise<() => void> {
    const distinct = [...new Set(hosts)];
    return new Promise((resolve) => {
      this.waiting.push({ hosts: distinct, grant: () => resolve(this.releaser(distinct)) });
      this.dispatch();
    });
  }

  // Transfers in flight now (for tests and the meter).
  get busy(): number {
    return this.inFlight;
  }

  private fits(hosts: readonly string[]): boolean {
    return this.inFlight < this.total && hosts.every((h) => (this.perHostInFlight.get(h) ?? 0) < this.perHost);
  }

  private dispatch(): void {
    for (let i = 0; i < this.waiting.length && this.inFlight < this.total; ) {
      const w = this.waiting[i]!;
      if (!this.fits(w.hosts)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.inFlight++;
      for (const h of w.hosts) this.perHostInFlight.set(h, (this.perHostInFlight.get(h) ?? 0) + 1);
      w.grant();
    }
  }

  private releaser(hosts: readonly string[]): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
      for (const h of hosts) this.perHostInFlight.set(h, (this.perHostInFlight.get(h) ?? 1) - 1);
      this.dispatch();
    };
  }
}

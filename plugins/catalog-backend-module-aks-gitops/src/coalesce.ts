/**
 * Many requests, few runs: the first request starts a window of `windowMs`; every request within
 * it is answered by the one run that follows. A request that comes while a run is under way gets a
 * run after it (the running one may have read GitHub before the change it was told about).
 */
export class Coalescer {
  private pending: Promise<void> | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly windowMs: number,
    private readonly run: () => Promise<void>,
  ) {}

  /** Resolves once a run that started after this call has ended (rejects with its error). */
  request(): Promise<void> {
    if (this.pending) return this.pending;
    const next = (async () => {
      await new Promise(resolve => setTimeout(resolve, this.windowMs));
      await this.running?.catch(() => undefined);
      this.pending = undefined;
      const run = this.run();
      this.running = run;
      try {
        await run;
      } finally {
        if (this.running === run) this.running = undefined;
      }
    })();
    this.pending = next;
    return next;
  }
}

interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * An append-only log that tests can wait on. A wait first looks at what is already recorded
 * (from `since`, an index into `items`), then at what comes next, so "trigger, then wait" never
 * misses an event that arrived before the wait began. No polling: `push` wakes the waiters.
 */
export class Recorder<T> {
  readonly items: T[] = [];
  readonly #waiters = new Set<Waiter<T>>();
  readonly #describe: (item: T) => string;
  #closedWith: Error | null = null;

  constructor(describe: (item: T) => string) {
    this.#describe = describe;
  }

  push(item: T): void {
    this.items.push(item);
    for (const waiter of this.#waiters) {
      if (!waiter.predicate(item)) continue;
      this.#waiters.delete(waiter);
      clearTimeout(waiter.timer);
      waiter.resolve(item);
    }
  }

  find(predicate: (item: T) => boolean, since = 0): T | undefined {
    for (let index = since; index < this.items.length; index++) {
      const item = this.items[index];
      if (item !== undefined && predicate(item)) return item;
    }
    return undefined;
  }

  filter(predicate: (item: T) => boolean, since = 0): T[] {
    return this.items.slice(since).filter(predicate);
  }

  waitFor(predicate: (item: T) => boolean, options: { timeoutMs: number; since?: number; what: string }): Promise<T> {
    const existing = this.find(predicate, options.since ?? 0);
    if (existing !== undefined) return Promise.resolve(existing);
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    // Captured here so a timeout's stack points at the test that waited.
    const timeoutError = new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.what}.`);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          const recent = this.items.slice(-15).map((item) => `  ${this.#describe(item)}`);
          timeoutError.message += `\nLast ${recent.length} of ${this.items.length} recorded:\n${recent.join('\n')}`;
          reject(timeoutError);
        }, options.timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  /** Rejects every pending wait (the emulator is closing) and any later one. */
  close(error: Error): void {
    this.#closedWith = error;
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.#waiters.clear();
  }
}

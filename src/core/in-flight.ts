/**
 * Counts the requests an adapter is answering, so that a graceful stop can wait for them: each is
 * tracked from the moment it is taken from the platform to the moment its answer went out.
 *
 * @example
 *   const inFlight = createInFlight();
 *   await inFlight.track(() => handle(request));
 *   await inFlight.idle(); // resolves at once when nothing runs
 */
export function createInFlight() {
  let running = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    if (running > 0) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };
  return {
    /** Runs `work`, counted while it runs (whether it resolves or rejects). */
    async track<T>(work: () => Promise<T>): Promise<T> {
      running += 1;
      try {
        return await work();
      } finally {
        running -= 1;
        settle();
      }
    },
    count: (): number => running,
    /** Resolves when nothing is running any more. */
    idle(): Promise<void> {
      if (running === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

export type InFlight = ReturnType<typeof createInFlight>;

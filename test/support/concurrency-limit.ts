/**
 * Runs at most `size` jobs at once, in the order they ask; for concurrent tests that each start real processes, so
 * that a 2-core machine is not asked to run them all together.
 */
export function concurrencyLimit(size: number): <T>(job: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  const next = (): void => {
    if (running >= size) return;
    const start = waiting.shift();
    if (start === undefined) return;
    running++;
    start();
  };
  return (job) =>
    new Promise((resolve, reject) => {
      waiting.push(() => {
        job()
          .then(resolve, reject)
          .finally(() => {
            running--;
            next();
          });
      });
      next();
    });
}

// Runs work again after growing pauses while its failure is one that time may cure (a lock held elsewhere, a
// database not up yet), for a bounded time; the failure that outlasts the bound is the caller's to report.
export interface RetryPolicy {
  /** How long, in all, the work may be tried again. */
  waitMs: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** Told before each pause (to say what is being waited for). */
  onRetry?(err: unknown, delayMs: number): void;
}

export async function retryWhile<T>(curable: (err: unknown) => boolean, policy: RetryPolicy, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + policy.waitMs;
  for (let delay = policy.firstDelayMs; ; delay = Math.min(delay * 2, policy.maxDelayMs)) {
    try {
      return await work();
    } catch (err) {
      const left = deadline - Date.now();
      if (!curable(err) || left <= 0) throw err;
      const pause = Math.min(delay, left);
      policy.onRetry?.(err, pause);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

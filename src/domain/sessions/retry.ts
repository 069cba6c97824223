// Commands that race by design (pick-ups, accepts) retry a few times when a concurrent writer won a row or a rank;
// a refused change (a status the table does not allow) is not a race and is not retried.
import { DomainError } from '../errors.ts';

export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof DomainError && err.retryable) || i >= attempts) throw err;
    }
  }
}

// Failed password log-ins (Basic, Ticket, Session) are limited per client address and per user name, so guessing
// is slow and floods of wrong passwords cannot keep the server hashing. Past the limit an attempt is refused
// before the user is looked up or anything is hashed. Successful log-ins do not count.
import { RateLimiter } from '../lib/rate-limit.ts';

/** An attempt refused without checking the password; the API answers 429 with Retry-After. */
export class LoginThrottled extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed log-ins; try again in ${retryAfterSeconds} s`);
    this.name = 'LoginThrottled';
  }
}

const USER_FACTOR = 10;

export class LoginThrottle {
  // Two limiters: a spray of user names filling one cannot clear the other.
  private readonly perAddress: RateLimiter;
  private readonly perUser: RateLimiter;

  constructor(failuresPerMinute: number) {
    this.perAddress = new RateLimiter(failuresPerMinute);
    // A user name allows USER_FACTOR times more: guessing one password from many addresses is still slowed, while
    // one address cannot lock the real user out (its own limit runs out ten times sooner).
    this.perUser = new RateLimiter(failuresPerMinute * USER_FACTOR);
  }

  /**
   * Counts the attempt as a failure up front (so concurrent guesses cannot all slip past a check) and answers
   * how to take it back once the password proved right. Throws LoginThrottled when no failure is left.
   */
  reserve(address: string | undefined, userName: string, now: number): () => void {
    const user = userName.toLowerCase().slice(0, 256); // names match case-insensitively on log-in
    const a = address === undefined ? { ok: true as const } : this.perAddress.take(address, now);
    if (!a.ok) throw new LoginThrottled(a.retryAfterSeconds);
    const u = this.perUser.take(user, now);
    if (!u.ok) {
      if (address !== undefined) this.perAddress.giveBack(address);
      throw new LoginThrottled(u.retryAfterSeconds);
    }
    return () => {
      if (address !== undefined) this.perAddress.giveBack(address);
      this.perUser.giveBack(user);
    };
  }
}

// Runs routing passes (domain/routing/route-queue.ts) whenever something may have changed who can take a chat:
// after every commit with events on this instance, on every NOTIFY from another, when the next offer runs out,
// and on a slow safety timer. Kicks that arrive during a pass make one more pass. One instance routes at a time
// (an advisory lock on PostgreSQL); correctness never rests on that: the database's row locks decide.
import type { DomainDeps } from '../domain/ports.ts';
import { progressed, type RoutingPass, routeQueue } from '../domain/routing/route-queue.ts';

interface Log {
  error(obj: unknown, msg?: string): void;
}

/**
 * The least time between two passes: kicks arriving meanwhile (a busy instance commits many times a second) fold
 * into the next pass, and a long queue never starves the event loop.
 */
const GAP_MS = 20;

export class Router {
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private safety?: NodeJS.Timeout;
  private expiry?: NodeJS.Timeout;

  constructor(
    private readonly deps: DomainDeps,
    private readonly log: Log,
    private readonly safetySeconds: number,
  ) {}

  start() {
    this.safety = setInterval(() => this.kick(), this.safetySeconds * 1000);
    this.safety.unref();
    this.kick();
  }

  /** Something changed: a pass runs now, or right after the one running. */
  kick() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Waits for the pass running now, then runs one more here (tests: everything routable has been routed). */
  async settle(): Promise<RoutingPass | undefined> {
    for (;;) {
      await this.running;
      if (this.stopped) return undefined;
      const pass = await this.pass();
      if (pass !== 'busy') return pass;
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    }
  }

  async stop() {
    this.stopped = true;
    clearInterval(this.safety);
    clearTimeout(this.expiry);
    await this.running;
  }

  private async loop() {
    do {
      this.again = false;
      const pass = await this.pass();
      if (pass && pass !== 'busy' && progressed(pass)) this.again = true;
      if (this.again) await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    } while (this.again && !this.stopped);
  }

  /** A pass; 'busy' when another instance (or another pass here) is routing now; undefined when it failed. */
  private async pass(): Promise<RoutingPass | 'busy' | undefined> {
    try {
      // One instance routes at a time: passes beside each other would be correct (the database's locks decide) but
      // would queue on the same agents' rows. An instance that finds another routing leaves it be: that one hears
      // of every change too (NOTIFY), and the safety timer covers an instance that stops.
      const done: { pass?: RoutingPass } = {};
      await this.deps.store.exclusively('parley-router', async (store) => {
        done.pass = await routeQueue({ ...this.deps, store });
      });
      if (!done.pass) return 'busy';
      this.wakeAt(done.pass.nextExpiry);
      return done.pass;
    } catch (err) {
      this.log.error({ err }, 'routing pass failed');
      return undefined;
    }
  }

  private wakeAt(at: Date | undefined) {
    clearTimeout(this.expiry);
    if (!at || this.stopped) return;
    const ms = Math.max(0, at.getTime() - this.deps.clock.now().getTime()) + 10;
    this.expiry = setTimeout(() => this.kick(), Math.min(ms, 2 ** 31 - 1));
    this.expiry.unref();
  }
}

// Runs the time-driven rules on a timer. A run that finds another instance sweeping does nothing; a failing run
// is logged and the next one tries again.
import type { DomainDeps } from '../domain/ports.ts';
import { sweep } from '../domain/sweeper/sweep.ts';
import type { SweepSettings } from '../domain/sweeper/sweep-settings.ts';

interface Log {
  error(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
}

export class Sweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly deps: DomainDeps,
    private readonly settings: SweepSettings,
    private readonly everySeconds: number,
    private readonly log: Log,
  ) {}

  start() {
    if (this.everySeconds <= 0) return;
    this.timer = setInterval(() => void this.runOnce(), this.everySeconds * 1000);
    this.timer.unref();
  }

  /** One sweep now (skipped when one is still running). */
  runOnce(): Promise<unknown> {
    this.running ??= sweep(this.deps, this.settings)
      .then((report) => this.log.debug({ report }, 'sweep'))
      .catch((err) => this.log.error({ err }, 'sweep failed'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop() {
    clearInterval(this.timer);
    await this.running;
  }
}

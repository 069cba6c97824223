// A job on a timer: one run at a time (a tick while one is running does nothing), a failing run logged and the next
// one trying again. The sweeper and the report refresher are two.

export interface JobLog {
  error(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
}

export class PeriodicJob {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly name: string,
    private readonly run: () => Promise<unknown>,
    private readonly everySeconds: number,
    private readonly log: JobLog,
  ) {}

  start() {
    if (this.everySeconds <= 0) return;
    this.timer = setInterval(() => void this.runOnce(), this.everySeconds * 1000);
    this.timer.unref();
  }

  /** One run now (skipped when one is still running). */
  runOnce(): Promise<unknown> {
    this.running ??= this.run()
      .then((report) => this.log.debug({ report }, this.name))
      .catch((err) => this.log.error({ err }, `${this.name} failed`))
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

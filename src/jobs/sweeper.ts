// Runs the time-driven rules on a timer. A run that finds another instance sweeping does nothing; a failing run
// is logged and the next one tries again.
import type { DomainDeps } from '../domain/ports.ts';
import { sweep } from '../domain/sweeper/sweep.ts';
import type { SweepSettings } from '../domain/sweeper/sweep-settings.ts';
import { type JobLog, PeriodicJob } from './periodic-job.ts';

export class Sweeper extends PeriodicJob {
  constructor(deps: DomainDeps, settings: SweepSettings, everySeconds: number, log: JobLog) {
    super('sweep', () => sweep(deps, settings), everySeconds, log);
  }
}

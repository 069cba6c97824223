// Rewrites the report facts of changed sessions on a timer, so the queue stays short and a report's own refresh
// (it refreshes before reading) finds little to do. The reports' in-memory copy: with `idleMinutes` 0 it is loaded
// on the first run and kept current, so that no report waits for a load; otherwise a report loads it, and it is let
// go once no report asked for it in that long.
import type { ReportRepository } from '../domain/reports/facts.ts';
import { type JobLog, PeriodicJob } from './periodic-job.ts';

export class ReportRefresher extends PeriodicJob {
  constructor(reports: ReportRepository, everySeconds: number, idleMinutes: number, log: JobLog) {
    super(
      'report facts refresh',
      async () => {
        const taken = await reports.refresh();
        if (idleMinutes === 0) {
          await reports.warm();
        } else {
          reports.releaseIdle(idleMinutes * 60_000);
          await reports.keepCurrent();
        }
        return taken;
      },
      everySeconds,
      log,
    );
  }
}

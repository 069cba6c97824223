// Rewrites the report facts of changed sessions on a timer, so the queue stays short and a report's own refresh
// (it refreshes before reading) finds little to do; and lets go of the reports' in-memory copy once no report has
// asked for it in `idleMinutes` (0: keeps it).
import type { ReportRepository } from '../domain/reports/facts.ts';
import { type JobLog, PeriodicJob } from './periodic-job.ts';

export class ReportRefresher extends PeriodicJob {
  constructor(reports: ReportRepository, everySeconds: number, idleMinutes: number, log: JobLog) {
    super(
      'report facts refresh',
      async () => {
        if (idleMinutes > 0) reports.releaseIdle(idleMinutes * 60_000);
        return reports.refresh();
      },
      everySeconds,
      log,
    );
  }
}

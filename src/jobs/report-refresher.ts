// Rewrites the report facts of changed sessions on a timer, so the queue stays short and a report's own refresh
// (it refreshes before reading) finds little to do.
import type { ReportRepository } from '../domain/reports/facts.ts';
import { type JobLog, PeriodicJob } from './periodic-job.ts';

export class ReportRefresher extends PeriodicJob {
  constructor(reports: ReportRepository, everySeconds: number, log: JobLog) {
    super('report facts refresh', () => reports.refresh(), everySeconds, log);
  }
}

// Reports from report_facts (one narrow row per session, kept by ReportFactsRefresher): each call brings this
// instance's in-memory copy up to date (ReportSnapshot) and adds it up in report-aggregate.ts.
import type { Kysely } from 'kysely';
import type { FactsFilter, Figures, FiguresKey, ReportRepository } from '../domain/reports/facts.ts';
import type { Capabilities } from './dialect.ts';
import { figuresPerGroup, requestedPerGroup } from './report-aggregate.ts';
import { ReportFactsRefresher } from './report-facts.refresher.ts';
import { ReportSnapshot } from './report-snapshot.ts';
import type { Database } from './schema.ts';

export class KyselyReportRepository implements ReportRepository {
  private readonly refresher: ReportFactsRefresher;
  private readonly snapshot: ReportSnapshot;

  constructor(db: Kysely<Database>, caps: Capabilities) {
    this.refresher = new ReportFactsRefresher(db, caps);
    this.snapshot = new ReportSnapshot(db);
  }

  refresh(): Promise<number> {
    return this.refresher.refresh();
  }

  async figures(filter: FactsFilter, key: FiguresKey): Promise<Map<number, Figures>> {
    return figuresPerGroup(await this.snapshot.forReport(), filter, key);
  }

  async requested(filter: FactsFilter, key: FiguresKey): Promise<Map<number, number>> {
    return requestedPerGroup(await this.snapshot.forReport(), filter, key);
  }

  held(): { sessions: number; bytes: number } {
    return this.snapshot.held;
  }

  async warm(): Promise<void> {
    await this.snapshot.sync();
  }

  async keepCurrent(): Promise<void> {
    if (this.snapshot.loaded) await this.snapshot.sync();
  }

  releaseIdle(idleMs: number): void {
    this.snapshot.releaseIdle(idleMs);
  }
}

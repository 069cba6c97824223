// The audit trail's table: entries appended by the change's transaction, read newest first with filters.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuditEntry, AuditFilter, AuditKind, AuditRepository, AuditValues, StoredAuditEntry } from '../domain/audit.ts';
import { fromDbInstant, toDbInstant } from './dialect.ts';
import type { AuditTable, Database } from './schema.ts';

const MAX_SUBJECT = 512;
const MAX_ADDRESS = 64;
const MAX_NAME = 255;

const toJson = (v: AuditValues) => (v === null ? null : JSON.stringify(v));
const fromJson = (v: string | null): AuditValues => (v === null ? null : JSON.parse(v));

const fromRow = (r: Selectable<AuditTable>): StoredAuditEntry => ({
  id: Number(r.id),
  at: fromDbInstant(r.at) as Date,
  actorId: r.actor_id,
  actorName: r.actor_name,
  address: r.address,
  kind: r.kind as AuditKind,
  subject: r.subject,
  before: fromJson(r.before_values),
  after: fromJson(r.after_values),
});

export class KyselyAuditRepository implements AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(e: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_entries')
      .values({
        at: toDbInstant(e.at) as string,
        actor_id: e.actorId,
        // Names and subjects may come from a caller (a failed log-in's user name): bounded, never refused.
        actor_name: e.actorName.slice(0, MAX_NAME),
        address: e.address.slice(0, MAX_ADDRESS),
        kind: e.kind,
        subject: e.subject.slice(0, MAX_SUBJECT),
        before_values: toJson(e.before),
        after_values: toJson(e.after),
      })
      .execute();
  }

  async list(f: AuditFilter): Promise<StoredAuditEntry[]> {
    let q = this.db.selectFrom('audit_entries').selectAll();
    if (f.actorName) q = q.where(sql`lower(actor_name)`, '=', f.actorName.toLowerCase());
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.since) q = q.where('at', '>=', toDbInstant(f.since) as string);
    if (f.until) q = q.where('at', '<', toDbInstant(f.until) as string);
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
    return rows.map(fromRow);
  }

  async removeOlderThan(cutoff: Date): Promise<number> {
    const r = await this.db
      .deleteFrom('audit_entries')
      .where('at', '<', toDbInstant(cutoff) as string)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

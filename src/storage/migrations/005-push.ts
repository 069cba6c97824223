// Push across instances: on PostgreSQL every committed outbox event is announced on the `parley_events` channel
// (NOTIFY is delivered at commit, never for a rolled-back insert), so each instance reads it from the outbox.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`create function notify_parley_event() returns trigger language plpgsql as $$
    begin perform pg_notify('parley_events', new.id::text); return null; end $$`.execute(db);
  await sql`create trigger outbox_events_notify after insert on outbox_events
    for each row execute function notify_parley_event()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop trigger if exists outbox_events_notify on outbox_events`.execute(db);
  await sql`drop function if exists notify_parley_event()`.execute(db);
}

// Single sign-on (OpenID Connect): the identity a user signed in with (issuer and subject, bound at the first
// sign-on), and the log-ins under way between leaving for the provider and coming back.
import { type ColumnDataType, type Kysely, PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant: ColumnDataType = pg ? 'timestamptz' : 'text';
  await db.schema.alterTable('associates').addColumn('oidc_subject', 'varchar(1024)').execute();
  // One Parley user per identity at the provider.
  await sql`create unique index associates_oidc_subject on associates (oidc_subject) where oidc_subject is not null`.execute(db);
  await db.schema
    .createTable('oidc_flows')
    .addColumn('id_digest', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('state', 'varchar(128)', (c) => c.notNull())
    .addColumn('nonce', 'varchar(128)', (c) => c.notNull())
    .addColumn('code_verifier', 'varchar(128)', (c) => c.notNull())
    .addColumn('redirect_uri', 'varchar(2048)', (c) => c.notNull())
    .addColumn('expires_at', instant, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('oidc_flows').ifExists().execute();
  await db.schema.dropIndex('associates_oidc_subject').ifExists().execute();
  await db.schema.alterTable('associates').dropColumn('oidc_subject').execute();
}

// Users (SuperOffice associates): lookups for the domain, and the writes the CLI and auth need.
import { sql, type Kysely } from 'kysely';
import { ChatSessionStatus } from '../domain/enums.ts';
import type { Associate } from '../domain/types.ts';
import type { AssociateRepository } from '../domain/ports.ts';
import { fromDbFlag as flag, toDbFlag as bit } from './dialect.ts';
import type { AnnounceRevocation } from './revocation-channel.ts';
import type { AssociateRow, Database } from './schema.ts';

const toAssociate = (r: AssociateRow): Associate => ({
  id: r.id,
  userName: r.user_name,
  fullName: r.full_name,
  isAdmin: flag(r.is_admin),
  present: flag(r.present),
  personId: r.person_id,
  groupName: r.group_name,
  deleted: flag(r.deleted),
  userType: r.user_type,
});

export interface NewAssociate {
  userName: string;
  fullName: string;
  passwordHash: string | null;
  isAdmin: boolean;
  groupName?: string;
  personId?: number | null;
  present?: boolean;
}

export class KyselyAssociateRepository implements AssociateRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly announce: AnnounceRevocation,
  ) {}

  async byIds(ids: readonly number[]) {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('associates')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    return rows.map(toAssociate);
  }

  async byId(id: number) {
    const row = await this.db.selectFrom('associates').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAssociate(row);
  }

  async byUserName(userName: string) {
    const row = await this.byUserNameRow(userName);
    return row && toAssociate(row);
  }

  async list() {
    const rows = await this.db.selectFrom('associates').selectAll().orderBy('id').execute();
    return rows.map(toAssociate);
  }

  /** The row with its password hash, for authentication only. */
  byUserNameRow(userName: string) {
    // No user name holds NUL, and PostgreSQL refuses it in a query parameter (Basic, JWT claims reach here raw).
    if (userName.includes('\u0000')) return Promise.resolve(undefined);
    return this.db.selectFrom('associates').selectAll().where(sql`lower(user_name)`, '=', userName.toLowerCase()).executeTakeFirst();
  }

  /** The user bound to this identity at the OpenID provider (issuer and subject), if any. */
  async byOidcSubject(subject: string) {
    const row = await this.db.selectFrom('associates').selectAll().where('oidc_subject', '=', subject).executeTakeFirst();
    return row && toAssociate(row);
  }

  /** Binds the user to an identity at the OpenID provider; false when the user has another one already. */
  async bindOidcSubject(id: number, subject: string): Promise<boolean> {
    const r = await this.db
      .updateTable('associates')
      .set({ oidc_subject: subject })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('oidc_subject', 'is', null), eb('oidc_subject', '=', subject)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async insert(a: NewAssociate, now: Date): Promise<number> {
    const row = await this.db
      .insertInto('associates')
      .values({
        user_name: a.userName,
        full_name: a.fullName,
        password_hash: a.passwordHash,
        is_admin: bit(a.isAdmin),
        group_name: a.groupName ?? '',
        person_id: a.personId ?? null,
        present: bit(a.present ?? false),
        credentials_changed: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Changes the password; every process sharing the database forgets what the user proved with the old one. */
  async setPassword(id: number, passwordHash: string, now: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('associates')
      .set({ password_hash: passwordHash, credentials_changed: now.toISOString() })
      .where('id', '=', id)
      .executeTakeFirst();
    await this.announce(this.db, { associateId: id });
    return Number(r.numUpdatedRows) > 0;
  }

  async setPresent(id: number, present: boolean): Promise<void> {
    await this.db
      .updateTable('associates')
      .set({ present: bit(present) })
      .where('id', '=', id)
      .execute();
  }

  async ongoingChatCounts(): Promise<Map<number, number>> {
    // One grouped count through chat_sessions_status (status leads the index), not one query per user.
    const rows = await this.db
      .selectFrom('chat_sessions')
      .select((eb) => ['user_id', eb.fn.countAll<number | string>().as('n')])
      .where('status', 'in', [ChatSessionStatus.CustomerLast, ChatSessionStatus.UserLast])
      .where('user_id', 'is not', null)
      .groupBy('user_id')
      .execute();
    return new Map(rows.map((r) => [r.user_id as number, Number(r.n)]));
  }

  async remove(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('associates').where('id', '=', id).executeTakeFirst();
    await this.announce(this.db, { associateId: id });
    return Number(r.numDeletedRows) > 0;
  }
}

// The agent's workspace tables: quick replies (canned_responses), internal notes (session_notes) and the visitor's
// context (visitor_context).
import { type Kysely, type Selectable, sql } from 'kysely';
import type { CannedResponseRepository, NoteRepository, VisitorContextRepository } from '../domain/ports.ts';
import type { CannedResponse, SessionNote, VisitorContext } from '../domain/types.ts';
import { sessionFromRow } from './session.mapper.ts';
import { fromDbInstant, toDbInstant } from './dialect.ts';
import type { CannedResponseTable, Database, SessionNoteTable } from './schema.ts';

const toReply = (r: Selectable<CannedResponseTable>): CannedResponse => ({
  id: r.id,
  shortcut: r.shortcut,
  title: r.title,
  text: r.text,
  topicId: r.topic_id ?? 0,
  associateId: r.associate_id ?? 0,
  whenUpdated: fromDbInstant(r.when_updated) as Date,
});

const replyRow = (r: Omit<CannedResponse, 'id'>) => ({
  shortcut: r.shortcut,
  title: r.title,
  text: r.text,
  topic_id: r.topicId || null,
  associate_id: r.topicId ? null : r.associateId,
  when_updated: toDbInstant(r.whenUpdated) as string,
});

export class KyselyCannedResponseRepository implements CannedResponseRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async byId(id: number) {
    const row = await this.db.selectFrom('canned_responses').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toReply(row);
  }

  async visible(associateId: number, topicIds: readonly number[]) {
    const rows = await this.db
      .selectFrom('canned_responses')
      .selectAll()
      .where((eb) =>
        topicIds.length ? eb.or([eb('associate_id', '=', associateId), eb('topic_id', 'in', [...topicIds])]) : eb('associate_id', '=', associateId),
      )
      .orderBy(sql`lower(shortcut)`)
      .orderBy('id')
      .execute();
    return rows.map(toReply);
  }

  async byShortcut(scope: { topicId: number; associateId: number }, shortcut: string) {
    const row = await this.db
      .selectFrom('canned_responses')
      .selectAll()
      .where(scope.topicId ? 'topic_id' : 'associate_id', '=', scope.topicId || scope.associateId)
      .where(sql`lower(shortcut)`, '=', shortcut.toLowerCase())
      .executeTakeFirst();
    return row && toReply(row);
  }

  async insert(reply: Omit<CannedResponse, 'id'>) {
    const row = await this.db.insertInto('canned_responses').values(replyRow(reply)).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async update(reply: CannedResponse) {
    await this.db.updateTable('canned_responses').set(replyRow(reply)).where('id', '=', reply.id).execute();
  }

  async remove(id: number) {
    const r = await this.db.deleteFrom('canned_responses').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}

const toNote = (r: Selectable<SessionNoteTable>): SessionNote => ({
  id: r.id,
  sessionId: r.session_id,
  authorId: r.author_id,
  authorName: r.author_name,
  text: r.text,
  mentions: JSON.parse(r.mentions),
  whenPosted: fromDbInstant(r.when_posted) as Date,
});

export class KyselyNoteRepository implements NoteRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async forSession(sessionId: number) {
    const rows = await this.db.selectFrom('session_notes').selectAll().where('session_id', '=', sessionId).orderBy('id').execute();
    return rows.map(toNote);
  }

  async insert(n: Omit<SessionNote, 'id'>) {
    const row = await this.db
      .insertInto('session_notes')
      .values({
        session_id: n.sessionId,
        author_id: n.authorId,
        author_name: n.authorName,
        text: n.text,
        mentions: JSON.stringify(n.mentions),
        when_posted: toDbInstant(n.whenPosted) as string,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
}

/** Where visitors were when their chats began (visitor_context), and their earlier chats by e-mail address. */
export class KyselyVisitorContextRepository implements VisitorContextRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async save(sessionId: number, c: VisitorContext) {
    await this.db
      .insertInto('visitor_context')
      .values({ session_id: sessionId, page_url: c.pageUrl, page_title: c.pageTitle, referrer: c.referrer, language: c.language, user_agent: c.userAgent })
      .execute();
  }

  async get(sessionId: number) {
    const r = await this.db.selectFrom('visitor_context').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
    return r && { pageUrl: r.page_url, pageTitle: r.page_title, referrer: r.referrer, language: r.language, userAgent: r.user_agent };
  }

  async earlierChats(email: string, exceptSessionId: number, limit: number) {
    if (!email.trim()) return [];
    const rows = await this.db
      .selectFrom('chat_sessions')
      .selectAll()
      .where(sql`lower(customer_email)`, '=', email.trim().toLowerCase())
      .where('id', '<>', exceptSessionId)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(sessionFromRow);
  }
}

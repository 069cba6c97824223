// A customer's data, found by e-mail address in every table that can hold it: their sessions (by the address they
// gave, or through a CRM person with that address), the messages of those sessions, CRM persons and tickets, mail to
// them or about their chats, and outbox events of their sessions. Erasing deletes what belongs to the chats and
// anonymises the CRM rows other records may point at.
import { type Kysely, sql } from 'kysely';
import type { CustomerData, CustomerDataRepository, ErasedCounts } from '../domain/privacy/customer-data.ts';
import type { AttachmentStore, CrmRepository, MessageRepository, SessionRepository } from '../domain/ports.ts';
import { fromDbInstant } from './dialect.ts';
import type { Database } from './schema.ts';

const ERASED = '(erased)';

export class KyselyCustomerDataRepository implements CustomerDataRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sessions: SessionRepository,
    private readonly messages: MessageRepository,
    private readonly crm: CrmRepository,
    private readonly attachments: AttachmentStore,
  ) {}

  private async personIds(email: string): Promise<number[]> {
    const rows = await this.db.selectFrom('persons').select('id').where(sql`lower(email)`, '=', email.toLowerCase()).execute();
    return rows.map((r) => r.id);
  }

  private async sessionIds(email: string, personIds: number[]): Promise<number[]> {
    let q = this.db.selectFrom('chat_sessions').select('id');
    q = q.where((eb) => {
      const byAddress = eb(sql`lower(customer_email)`, '=', email.toLowerCase());
      return personIds.length ? eb.or([byAddress, eb('person_id', 'in', personIds)]) : byAddress;
    });
    return (await q.orderBy('id').execute()).map((r) => r.id);
  }

  private async ticketIds(email: string, sessionIds: number[], personIds: number[]): Promise<number[]> {
    const fromSessions = sessionIds.length
      ? (await this.db.selectFrom('chat_sessions').select('ticket_id').where('id', 'in', sessionIds).where('ticket_id', 'is not', null).execute()).map(
          (r) => r.ticket_id as number,
        )
      : [];
    const rows = await this.db
      .selectFrom('tickets')
      .select('id')
      .where((eb) => {
        const byAddress = eb(sql`lower(from_address)`, '=', email.toLowerCase());
        return personIds.length ? eb.or([byAddress, eb('person_id', 'in', personIds)]) : byAddress;
      })
      .execute();
    return [...new Set([...fromSessions, ...rows.map((r) => r.id)])].sort((a, b) => a - b);
  }

  private mailQuery(email: string, sessionIds: number[]) {
    return this.db.selectFrom('mail_outbox').where((eb) => {
      const toThem = eb(sql`lower(recipient_address)`, '=', email.toLowerCase());
      return sessionIds.length ? eb.or([toThem, eb('session_id', 'in', sessionIds)]) : toThem;
    });
  }

  private files(sessionId: number) {
    return this.attachments.forSession(sessionId);
  }

  async find(email: string): Promise<CustomerData> {
    const personIds = await this.personIds(email);
    const sessionIds = await this.sessionIds(email, personIds);
    const sessions: CustomerData['sessions'] = [];
    for (const id of sessionIds) {
      const session = await this.sessions.byId(id);
      if (!session) continue;
      const context = (await this.db.selectFrom('visitor_context').selectAll().where('session_id', '=', id).executeTakeFirst()) ?? null;
      sessions.push({
        session: { ...session, sessionKey: '' },
        messages: await this.messages.forSession(id, 0),
        files: await this.files(id),
        context: context && {
          pageUrl: context.page_url,
          pageTitle: context.page_title,
          referrer: context.referrer,
          language: context.language,
          userAgent: context.user_agent,
        },
      });
    }
    const mail = await this.mailQuery(email, sessionIds)
      .select(['id', 'kind', 'recipient_name', 'recipient_address', 'subject', 'body', 'created_at'])
      .orderBy('id')
      .execute();
    return {
      email,
      sessions,
      persons: await this.crm.persons(personIds),
      tickets: await this.crm.tickets(await this.ticketIds(email, sessionIds, personIds)),
      mail: mail.map((m) => ({
        id: Number(m.id),
        kind: m.kind,
        recipientName: m.recipient_name,
        recipientAddress: m.recipient_address,
        subject: m.subject,
        body: m.body,
        createdAt: fromDbInstant(m.created_at) as Date,
      })),
    };
  }

  async erase(email: string): Promise<ErasedCounts> {
    const personIds = await this.personIds(email);
    const sessionIds = await this.sessionIds(email, personIds);
    const ticketIds = await this.ticketIds(email, sessionIds, personIds);
    const counts: ErasedCounts = { sessions: 0, messages: 0, persons: 0, tickets: 0, mail: 0, events: 0 };
    const mailIds = (await this.mailQuery(email, sessionIds).select('id').execute()).map((r) => r.id);
    if (mailIds.length) counts.mail = Number((await this.db.deleteFrom('mail_outbox').where('id', 'in', mailIds).executeTakeFirst()).numDeletedRows);
    if (sessionIds.length) {
      counts.events = Number((await this.db.deleteFrom('outbox_events').where('session_id', 'in', sessionIds).executeTakeFirst()).numDeletedRows);
      await this.db.deleteFrom('visitor_context').where('session_id', 'in', sessionIds).execute();
      counts.messages = Number((await this.db.deleteFrom('chat_messages').where('session_id', 'in', sessionIds).executeTakeFirst()).numDeletedRows);
      counts.sessions = Number((await this.db.deleteFrom('chat_sessions').where('id', 'in', sessionIds).executeTakeFirst()).numDeletedRows);
    }
    if (ticketIds.length) {
      const r = await this.db.updateTable('tickets').set({ title: ERASED, author: '', from_address: '' }).where('id', 'in', ticketIds).executeTakeFirst();
      counts.tickets = Number(r.numUpdatedRows);
    }
    if (personIds.length) {
      const r = await this.db
        .updateTable('persons')
        .set({ firstname: ERASED, middle_name: '', lastname: '', title: '', email: '', mobile_phone: '', direct_phone: '' })
        .where('id', 'in', personIds)
        .executeTakeFirst();
      counts.persons = Number(r.numUpdatedRows);
    }
    return counts;
  }
}

// The CRM records chat sessions and topics link to: read in one query per kind for a whole page of sessions.
import { type Kysely, sql } from 'kysely';
import type { CrmRepository, NamedItemKind } from '../domain/ports.ts';
import type { Contact, NamedItem, Person, Project, Sale, Ticket } from '../domain/types.ts';
import { fromDbInstant } from './dialect.ts';
import type { Database } from './schema.ts';

export class KyselyCrmRepository implements CrmRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async persons(ids: readonly number[]): Promise<Person[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('persons')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    return rows.map((r) => ({
      id: r.id,
      firstname: r.firstname,
      middleName: r.middle_name,
      lastname: r.lastname,
      title: r.title,
      email: r.email,
      mobilePhone: r.mobile_phone,
      directPhone: r.direct_phone,
      contactId: r.contact_id,
      associateId: r.associate_id,
    }));
  }

  async contacts(ids: readonly number[]): Promise<Contact[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('contacts')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      department: r.department,
      orgNr: r.org_nr,
      url: r.url,
      city: r.city,
      directPhone: r.direct_phone,
      emailAddress: r.email_address,
      associateId: r.associate_id,
      countryId: r.country_id,
      address1: r.address1,
      zipcode: r.zipcode,
    }));
  }

  async projects(ids: readonly number[]): Promise<Project[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('projects')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      projectNumber: r.project_number,
      typeName: r.type_name,
      statusName: r.status_name,
      associateId: r.associate_id,
      updated: fromDbInstant(r.updated),
    }));
  }

  async sales(ids: readonly number[]): Promise<Sale[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('sales')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      description: r.description,
      amount: r.amount,
      currency: r.currency,
      probability: r.probability,
      status: r.status,
      saleDate: fromDbInstant(r.sale_date),
      contactId: r.contact_id,
      personId: r.person_id,
      projectId: r.project_id,
      associateId: r.associate_id,
      number: r.number,
    }));
  }

  async tickets(ids: readonly number[]): Promise<Ticket[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .selectFrom('tickets')
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      createdAt: fromDbInstant(r.created_at) as Date,
      lastChanged: fromDbInstant(r.last_changed) as Date,
      baseStatus: r.base_status,
      origin: r.origin,
      categoryId: r.category_id,
      priorityId: r.priority_id,
      personId: r.person_id,
      ownedBy: r.owned_by,
      createdBy: r.created_by,
      author: r.author,
      fromAddress: r.from_address,
    }));
  }

  async personByEmail(email: string): Promise<Person | undefined> {
    const rows = await this.db.selectFrom('persons').select('id').where(sql`lower(email)`, '=', email.toLowerCase()).limit(2).execute();
    return rows.length === 1 ? (await this.persons([rows[0].id]))[0] : undefined;
  }

  async insertTicket(t: Omit<Ticket, 'id'>): Promise<number> {
    const row = await this.db
      .insertInto('tickets')
      .values({
        title: t.title,
        created_at: t.createdAt.toISOString(),
        last_changed: t.lastChanged.toISOString(),
        base_status: t.baseStatus,
        origin: t.origin,
        category_id: t.categoryId,
        priority_id: t.priorityId,
        person_id: t.personId,
        owned_by: t.ownedBy,
        created_by: t.createdBy,
        author: t.author,
        from_address: t.fromAddress,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async namedItems(kind: NamedItemKind, ids: readonly number[]): Promise<NamedItem[]> {
    if (!ids.length) return [];
    return this.db
      .selectFrom(kind)
      .selectAll()
      .where('id', 'in', [...ids])
      .execute();
  }
}

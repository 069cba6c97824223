// The demo's CRM side: languages, ticket categories and priorities, an alert template, an FAQ category, two companies
// with a person each, a project, a sale and a ticket, for the demo sessions to link to.
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.ts';

const minutesAgo = (now: Date, m: number) => new Date(now.getTime() - m * 60_000);

export async function fillDemoCrm(db: Kysely<Database>, now: Date) {
  const named = async (
    table: 'customer_languages' | 'ticket_categories' | 'ticket_priorities' | 'reply_templates' | 'kb_categories',
    rows: Array<[string, string]>,
  ) => {
    const out: number[] = [];
    for (const [name, description] of rows) {
      out.push((await db.insertInto(table).values({ name, description }).returning('id').executeTakeFirstOrThrow()).id);
    }
    return out;
  };
  const [english, norwegian, swedish, german] = await named('customer_languages', [
    ['English', 'en'],
    ['Norsk', 'nb'],
    ['Svenska', 'sv'],
    ['Deutsch', 'de'],
  ]);
  const [supportCategory] = await named('ticket_categories', [
    ['Chat requests', 'Requests left in the chat offline form'],
    ['Sales leads', ''],
  ]);
  const [normal, high] = await named('ticket_priorities', [
    ['Normal', ''],
    ['High', 'Answer within an hour'],
  ]);
  const [alertTemplate] = await named('reply_templates', [['Unanswered chat alert', 'Sent to the alert recipient']]);
  const [faq] = await named('kb_categories', [['Public FAQ', 'Published answers shown before chatting']]);

  const contact = async (name: string, city: string, email: string) =>
    (
      await db
        .insertInto('contacts')
        .values({
          name,
          city,
          email_address: email,
          department: '',
          country_id: 578,
          address1: 'Storgata 1',
          zipcode: '0155',
          url: `https://${email.split('@')[1]}`,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const nordic = await contact('Nordic Widgets AS', 'Oslo', 'post@nordicwidgets.no');
  const svea = await contact('Svea Verktyg AB', 'Göteborg', 'info@sveaverktyg.se');
  const person = async (firstname: string, lastname: string, email: string, contactId: number) =>
    (
      await db
        .insertInto('persons')
        .values({ firstname, lastname, email, contact_id: contactId, mobile_phone: '+47 900 00 000' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const kari = await person('Kari', 'Nordmann', 'kari@nordicwidgets.no', nordic);
  const lars = await person('Lars', 'Lund', 'lars@sveaverktyg.se', svea);
  const project = (
    await db
      .insertInto('projects')
      .values({ name: 'Widget roll-out 2026', project_number: 'P-1001', type_name: 'Delivery', status_name: 'In progress', updated: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const sale = (
    await db
      .insertInto('sales')
      .values({
        title: '500 widgets',
        amount: 125000,
        currency: 'NOK',
        probability: 60,
        status: 1,
        sale_date: now.toISOString(),
        contact_id: nordic,
        person_id: kari,
        number: 'S-2001',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const ticket = (
    await db
      .insertInto('tickets')
      .values({
        title: 'Widget arrived broken',
        created_at: minutesAgo(now, 300).toISOString(),
        last_changed: minutesAgo(now, 200).toISOString(),
        base_status: 1,
        origin: 11,
        category_id: supportCategory,
        priority_id: high,
        person_id: kari,
        author: 'Kari Nordmann',
        from_address: 'kari@nordicwidgets.no',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  return { english, norwegian, swedish, german, supportCategory, normal, high, alertTemplate, faq, nordic, svea, kari, lars, project, sale, ticket };
}

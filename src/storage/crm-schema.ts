// The CRM records chats link to (SuperOffice's shapes, kept to what the carriers show): list items, companies,
// persons, projects, sales, tickets. Mapped in schema.ts's Database.
import type { Generated } from 'kysely';
import type { Defaulted, Instant } from './schema.ts';

export interface NamedItemTable {
  id: Generated<number>;
  name: string;
  description: Defaulted<string>;
}

export interface ContactTable {
  id: Generated<number>;
  name: Defaulted<string>;
  department: Defaulted<string>;
  org_nr: Defaulted<string>;
  url: Defaulted<string>;
  city: Defaulted<string>;
  direct_phone: Defaulted<string>;
  email_address: Defaulted<string>;
  associate_id: number | null;
  country_id: Defaulted<number>;
  address1: Defaulted<string>;
  zipcode: Defaulted<string>;
}
export interface PersonTable {
  id: Generated<number>;
  firstname: Defaulted<string>;
  middle_name: Defaulted<string>;
  lastname: Defaulted<string>;
  title: Defaulted<string>;
  email: Defaulted<string>;
  mobile_phone: Defaulted<string>;
  direct_phone: Defaulted<string>;
  contact_id: number | null;
  associate_id: number | null;
}
export interface ProjectTable {
  id: Generated<number>;
  name: Defaulted<string>;
  description: Defaulted<string>;
  project_number: Defaulted<string>;
  type_name: Defaulted<string>;
  status_name: Defaulted<string>;
  associate_id: number | null;
  updated: Instant | null;
}
export interface SaleTable {
  id: Generated<number>;
  title: Defaulted<string>;
  description: Defaulted<string>;
  amount: Defaulted<number>;
  currency: Defaulted<string>;
  probability: Defaulted<number>;
  status: Defaulted<number>;
  sale_date: Instant | null;
  contact_id: number | null;
  person_id: number | null;
  project_id: number | null;
  associate_id: number | null;
  number: Defaulted<string>;
}
export interface TicketTable {
  id: Generated<number>;
  title: Defaulted<string>;
  created_at: Instant;
  last_changed: Instant;
  base_status: Defaulted<number>;
  origin: Defaulted<number>;
  category_id: number | null;
  priority_id: number | null;
  person_id: number | null;
  owned_by: number | null;
  created_by: number | null;
  author: Defaulted<string>;
  from_address: Defaulted<string>;
}

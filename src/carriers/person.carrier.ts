// Person: the customer a session is linked to.
import { Bool, Carrier, Int, Str } from './kit.ts';
import type { Person } from '../domain/types.ts';
import { nestedRights } from './nested.ts';

const s = (n = 255) => Str(n);
export const PersonSchema = Carrier('Person', {
  Position: s(), PersonId: Int(), Mrmrs: s(), Firstname: s(), Lastname: s(), MiddleName: s(), Title: s(),
  Description: s(), Email: s(), FullName: s(), DirectPhone: s(), FormalName: s(), CountryId: Int(), ContactId: Int(),
  ContactName: s(), Retired: Int(), Rank: Int(), ActiveInterests: Int(), ContactDepartment: s(), ContactCountryId: Int(),
  ContactOrgNr: s(), FaxPhone: s(), MobilePhone: s(), ContactPhone: s(), AssociateName: s(), AssociateId: Int(),
  UsePersonAddress: Bool(), ContactFax: s(), Kanafname: s(), Kanalname: s(), Post1: s(), Post2: s(), Post3: s(),
  EmailName: s(), ContactFullName: s(), ActiveErpLinks: Int(), TicketPriorityId: Int(), SupportLanguageId: Int(),
  SupportAssociateId: Int(), CategoryName: s(), PersonNumber: s(),
});

export function presentPerson(p: Person | undefined) {
  if (!p) return null;
  const fullName = [p.firstname, p.middleName, p.lastname].filter(Boolean).join(' ');
  return {
    Position: '', PersonId: p.id, Mrmrs: '', Firstname: p.firstname, Lastname: p.lastname, MiddleName: p.middleName,
    Title: p.title, Description: '', Email: p.email, FullName: fullName, DirectPhone: p.directPhone, FormalName: fullName,
    CountryId: 0, ContactId: p.contactId ?? 0, ContactName: '', Retired: 0, Rank: 0, ActiveInterests: 0,
    ContactDepartment: '', ContactCountryId: 0, ContactOrgNr: '', FaxPhone: '', MobilePhone: p.mobilePhone,
    ContactPhone: '', AssociateName: '', AssociateId: p.associateId ?? 0, UsePersonAddress: false, ContactFax: '',
    Kanafname: '', Kanalname: '', Post1: '', Post2: '', Post3: '', EmailName: p.email, ContactFullName: '',
    ActiveErpLinks: 0, TicketPriorityId: 0, SupportLanguageId: 0, SupportAssociateId: 0, CategoryName: '',
    PersonNumber: String(p.id), ...nestedRights(),
  };
}

// Contact (company) with its Address, as linked from a session.
import { Type } from '@sinclair/typebox';
import { AddressType } from '../domain/enums.ts';
import type { Contact } from '../domain/types.ts';
import { enumName } from '../lib/dotnet-flags.ts';
import { ArrayOf, Bool, Carrier, Double, Enum, Int, Nullable, Plain, Str } from './kit.ts';
import { nestedRights } from './nested.ts';

const s = (n = 255) => Str(n);
export const StructuredAddressSchema = Plain('StructuredAddress', {
  AtypeIdx: Enum('AddressType', AddressType),
  Address1: s(),
  Address2: s(),
  Address3: s(),
  City: s(),
  County: s(),
  State: s(),
  Zipcode: s(),
  Formatted: s(),
});
export const LocalizedFieldSchema = Carrier('LocalizedField', {
  Name: s(),
  Value: s(),
  Tooltip: s(),
  Label: s(),
  ValueLength: Int(),
  AddressType: s(),
});
export const AddressSchema = Carrier('Address', {
  Wgs84Latitude: Double(),
  Wgs84Longitude: Double(),
  LocalizedAddress: ArrayOf(Type.Array(LocalizedFieldSchema)),
  Street: Nullable(StructuredAddressSchema),
  Postal: Nullable(StructuredAddressSchema),
  Formatted: s(),
});
export const ContactSchema = Carrier('Contact', {
  ContactId: Int(),
  Name: s(),
  OrgNr: s(),
  Department: s(),
  URL: s(),
  City: s(),
  DirectPhone: s(),
  AssociateId: Int(),
  CountryId: Int(),
  EmailAddress: s(),
  Kananame: s(),
  EmailAddressName: s(),
  URLName: s(),
  AssociateFullName: s(),
  BusinessName: s(),
  CategoryName: s(),
  CountryName: s(),
  Address: AddressSchema,
  FormattedAddress: s(),
  FullName: s(),
  IsOwnerContact: Bool(),
  ActiveErpLinks: Int(),
  Number1: s(),
  Number2: s(),
});

const structured = (c: Contact, type: number) => {
  const formatted = [c.address1, [c.zipcode, c.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return {
    AtypeIdx: enumName(type, AddressType),
    Address1: c.address1,
    Address2: '',
    Address3: '',
    City: c.city,
    County: '',
    State: '',
    Zipcode: c.zipcode,
    Formatted: formatted,
  };
};

export function presentContact(c: Contact | undefined) {
  if (!c) return null;
  const street = structured(c, AddressType.ContactStreetAddress);
  return {
    ContactId: c.id,
    Name: c.name,
    OrgNr: c.orgNr,
    Department: c.department,
    URL: c.url,
    City: c.city,
    DirectPhone: c.directPhone,
    AssociateId: c.associateId ?? 0,
    CountryId: c.countryId,
    EmailAddress: c.emailAddress,
    Kananame: '',
    EmailAddressName: c.emailAddress,
    URLName: c.url,
    AssociateFullName: '',
    BusinessName: '',
    CategoryName: '',
    CountryName: '',
    Address: {
      Wgs84Latitude: 0,
      Wgs84Longitude: 0,
      LocalizedAddress: [],
      Street: street,
      Postal: structured(c, AddressType.ContactPostalAddress),
      Formatted: street.Formatted,
      ...nestedRights(),
    },
    FormattedAddress: street.Formatted,
    FullName: [c.name, c.department].filter(Boolean).join(' '),
    IsOwnerContact: false,
    ActiveErpLinks: 0,
    Number1: String(c.id),
    Number2: '',
    ...nestedRights(),
  };
}

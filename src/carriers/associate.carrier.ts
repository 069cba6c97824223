// Associate: a user (agent) as nested in sessions and topic agents.
import { Enum, Bool, Carrier, Int, Str, type WireOf } from './kit.ts';
import { UserType } from '../domain/enums.ts';
import { enumName } from '../lib/dotnet-flags.ts';
import type { Associate } from '../domain/types.ts';
import { nestedRights } from './nested.ts';
import { Type } from '@sinclair/typebox';

export const AssociateSchema = Carrier('Associate', {
  AssociateId: Int('Primary key'),
  Name: Str(50, 'Initials, also login name'),
  PersonId: Int('Owning person record'),
  Rank: Int(),
  Tooltip: Str(),
  Type: Enum('UserType', UserType),
  GroupIdx: Int('Primary group'),
  FullName: Str(255),
  FormalName: Str(255),
  Deleted: Bool('Retired user'),
  EjUserId: Int('Service user id; Parley users are one table, so it equals AssociateId'),
  UserName: Str(50),
  ExtraFields: Type.Unsafe<Record<string, string>>({ type: 'object', nullable: true, additionalProperties: { type: 'string' } }),
  CustomFields: Type.Unsafe<Record<string, string>>({ type: 'object', nullable: true, additionalProperties: { type: 'string' } }),
});

export const presentAssociate = (a: Associate | undefined) =>
  a
    ? {
        AssociateId: a.id,
        Name: a.userName,
        PersonId: a.personId ?? 0,
        Rank: 0,
        Tooltip: a.fullName,
        Type: enumName(a.userType, UserType),
        GroupIdx: 0,
        FullName: a.fullName,
        FormalName: a.fullName,
        Deleted: a.deleted,
        EjUserId: a.id,
        UserName: a.userName,
        ExtraFields: {},
        CustomFields: {},
        ...nestedRights(),
      }
    : null;

/** The user a request names: by AssociateId, or by UserName/Name when the id is 0 or missing. */
export const associateRef = (wire: WireOf<typeof AssociateSchema> | null | undefined) =>
  wire
    ? {
        associateId: wire.AssociateId ?? 0,
        userName: wire.UserName || wire.Name || undefined,
      }
    : undefined;

// Sale, as linked from a session.
import { ActivityStatus, SaleStatus } from '../domain/enums.ts';
import type { Sale } from '../domain/types.ts';
import { enumName } from '../lib/dotnet-flags.ts';
import { Carrier, DateTime, Double, Enum, Int, Str } from './kit.ts';
import { nestedRights } from './nested.ts';

const s = (n = 255) => Str(n);
export const SaleSchema = Carrier('Sale', {
  ContactName: s(),
  SaleDate: DateTime(),
  SaleId: Int(),
  Probability: Int(),
  Title: s(),
  Amount: Double(),
  Currency: s(16),
  ProjectName: s(),
  AssociateFullName: s(),
  Description: s(1024),
  Status: Enum('SaleStatus', SaleStatus),
  WeightedAmount: Double(),
  ProjectId: Int(),
  EarningPercent: Double(),
  Earning: Double(),
  ContactId: Int(),
  AssociateId: Int(),
  PersonId: Int(),
  SaleTypeId: Int(),
  SaleTypeName: s(),
  PersonFullName: s(),
  Completed: Enum('ActivityStatus', ActivityStatus),
  ActiveErpLinks: Int(),
  NextDueDate: DateTime(),
  Number: s(),
});

export const presentSale = (x: Sale | undefined) =>
  x
    ? {
        ContactName: '',
        SaleDate: x.saleDate,
        SaleId: x.id,
        Probability: x.probability,
        Title: x.title,
        Amount: x.amount,
        Currency: x.currency,
        ProjectName: '',
        AssociateFullName: '',
        Description: x.description,
        Status: enumName(x.status, SaleStatus),
        WeightedAmount: (x.amount * x.probability) / 100,
        ProjectId: x.projectId ?? 0,
        EarningPercent: 0,
        Earning: 0,
        ContactId: x.contactId ?? 0,
        AssociateId: x.associateId ?? 0,
        PersonId: x.personId ?? 0,
        SaleTypeId: 0,
        SaleTypeName: '',
        PersonFullName: '',
        Completed: enumName(x.status === SaleStatus.Open ? ActivityStatus.NotStarted : ActivityStatus.Completed, ActivityStatus),
        ActiveErpLinks: 0,
        NextDueDate: null,
        Number: x.number,
        ...nestedRights(),
      }
    : null;

// Ticket (a Service request), as linked from a session.
import { TicketBaseStatus, TicketOrigin, TicketReadStatus, TicketSecurityLevel } from '../domain/enums.ts';
import type { Ticket } from '../domain/types.ts';
import { enumName } from '../lib/dotnet-flags.ts';
import { Bool, Carrier, DateTime, Enum, Int, Str } from './kit.ts';
import { nestedRights } from './nested.ts';

const s = (n = 255) => Str(n);
const dates = ['CreatedAt', 'LastChanged', 'ReadByOwner', 'ReadByCustomer', 'FirstReadByUser', 'Activate', 'ClosedAt',
  'RepliedAt', 'AlertTimeout', 'Deadline'] as const;
const counters = ['TimeToReply', 'RealTimeToReply', 'TimeToClose', 'RealTimeToClose', 'TimeSpentInternally',
  'TimeSpentExternally', 'TimeSpentQueue', 'RealTimeSpentInternally', 'RealTimeSpentExternally', 'RealTimeSpentQueue',
  'TimeSpent'] as const;

export const TicketSchema = Carrier('Ticket', {
  TicketId: Int(), Title: s(),
  ...Object.fromEntries(dates.map((d) => [d, DateTime()])) as Record<(typeof dates)[number], ReturnType<typeof DateTime>>,
  CreatedBy: Int(), CreatedByName: s(), Author: s(), OwnedBy: Int(), OwnedByName: s(), Category: Int(), CategoryName: s(),
  CategoryFullname: s(), Slevel: Enum('TicketSecurityLevel', TicketSecurityLevel), Priority: Int(), PriorityName: s(),
  BaseStatus: Enum('TicketBaseStatus', TicketBaseStatus), TicketStatus: Int(), TicketStatusDisplayValue: s(),
  Origin: Enum('TicketOrigin', TicketOrigin), CustId: Int(), PersonFirstname: s(), PersonMiddleName: s(),
  PersonLastname: s(), PersonFullname: s(), AlertLevel: Int(), ConnectId: Int(),
  ReadStatus: Enum('TicketReadStatus', TicketReadStatus),
  ...Object.fromEntries(counters.map((c) => [c, Int()])) as Record<(typeof counters)[number], ReturnType<typeof Int>>,
  HasAttachment: Bool(), NumReplies: Int(), NumMessages: Int(), FromAddress: s(), ContactId: Int(), ContactName: s(),
  OwnedByAssociateId: Int(), Language: s(), Sentiment: Int(), SentimentConfidence: Int(), SaleId: Int(), ProjectId: Int(),
  SaleHeading: s(), ProjectName: s(), FormSubmissionId: Int(), TicketTypeId: Int(), TicketTypeName: s(),
});

export function presentTicket(t: Ticket | undefined) {
  if (!t) return null;
  const noDates = Object.fromEntries(dates.map((d) => [d, null]));
  const zeroCounters = Object.fromEntries(counters.map((c) => [c, 0]));
  return {
    TicketId: t.id, Title: t.title, ...noDates, CreatedAt: t.createdAt, LastChanged: t.lastChanged,
    CreatedBy: t.createdBy ?? 0, CreatedByName: '', Author: t.author, OwnedBy: t.ownedBy ?? 0, OwnedByName: '',
    Category: t.categoryId ?? 0, CategoryName: '', CategoryFullname: '', Slevel: enumName(TicketSecurityLevel.External, TicketSecurityLevel),
    Priority: t.priorityId ?? 0, PriorityName: '', BaseStatus: enumName(t.baseStatus, TicketBaseStatus), TicketStatus: t.baseStatus,
    TicketStatusDisplayValue: enumName(t.baseStatus, TicketBaseStatus), Origin: enumName(t.origin, TicketOrigin),
    CustId: t.personId ?? 0, PersonFirstname: '', PersonMiddleName: '', PersonLastname: '', PersonFullname: '',
    AlertLevel: 0, ConnectId: 0, ReadStatus: enumName(TicketReadStatus.Green, TicketReadStatus), ...zeroCounters,
    HasAttachment: false, NumReplies: 0, NumMessages: 0, FromAddress: t.fromAddress, ContactId: 0, ContactName: '',
    OwnedByAssociateId: t.ownedBy ?? 0, Language: '', Sentiment: 0, SentimentConfidence: 0, SaleId: 0, ProjectId: 0,
    SaleHeading: '', ProjectName: '', FormSubmissionId: 0, TicketTypeId: 0, TicketTypeName: '', ...nestedRights(),
  };
}

// Small list carriers a topic points at: CustomerLanguage, TicketCategory, TicketPriority, ReplyTemplate, KbCategory.
import type { NamedItem } from '../domain/types.ts';
import { Carrier, Int, Plain, Str } from './kit.ts';
import { nestedRights } from './nested.ts';

const listItem = (name: string) => Carrier(name, { Id: Int(), Value: Str(255), Tooltip: Str(255) });
export const CustomerLanguageSchema = listItem('CustomerLanguage');
export const TicketCategorySchema = listItem('TicketCategory');
export const TicketPrioritySchema = listItem('TicketPriority');
export const ReplyTemplateSchema = Plain('ReplyTemplate', { ReplyTemplateId: Int(), Name: Str(255), Description: Str(255), FolderId: Int() });
export const KbCategorySchema = Plain('KbCategory', {
  KbCategoryId: Int(),
  Name: Str(255),
  Description: Str(255),
  Fullname: Str(1024),
  ParentId: Int(),
  SortOrder: Int(),
});

export const presentListItem = (i: NamedItem | undefined) => (i ? { Id: i.id, Value: i.name, Tooltip: i.description, ...nestedRights() } : null);
export const presentReplyTemplate = (i: NamedItem | undefined) =>
  i ? { ReplyTemplateId: i.id, Name: i.name, Description: i.description, FolderId: -1 } : null;
export const presentKbCategory = (i: NamedItem | undefined) =>
  i ? { KbCategoryId: i.id, Name: i.name, Description: i.description, Fullname: i.name, ParentId: -1, SortOrder: 0 } : null;

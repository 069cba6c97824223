// The visitor reads its conversation: the messages after an id, oldest first. What the visitor is given now counts
// as read by the customer (ReadByCustomer, which agents see): one UPDATE, and only when something among them was
// unread, so a widget polling an unchanged conversation writes nothing.
import type { ChatStore } from '../ports.ts';
import type { Message, Session } from '../types.ts';

export async function readMessages(store: ChatStore, session: Session, after: number): Promise<Message[]> {
  const afterId = Math.max(0, after);
  const messages = await store.messages.forSession(session.id, afterId);
  const unread = messages.filter((m) => m.readByCustomer === 0);
  if (unread.length === 0) return messages;
  await store.messages.markReadByCustomer(session.id, afterId, unread[unread.length - 1].id);
  return messages.map((m) => (m.readByCustomer === 0 ? { ...m, readByCustomer: 1 } : m));
}

// The one place that reads outbox event payloads for e-mail: which committed changes call for a mail. Written
// against the payload `persist` records for chatsession.changed ({ session, oldStatus, newStatus }).
import { ChatSessionStatus as S } from '../domain/enums.ts';
import type { OutboxEvent } from '../domain/ports.ts';
import type { Session } from '../domain/types.ts';

export type MailTrigger = { kind: 'missed'; session: Session; reason: 'left' | 'offline' } | { kind: 'offline-request'; session: Session };

/** What mail an event calls for: a chat that left the queue unanswered, or an offline request posted. */
export function mailTriggers(event: OutboxEvent): MailTrigger[] {
  if (event.type !== 'chatsession.changed') return [];
  const p = event.payload;
  if (p.oldStatus === p.newStatus) return [];
  const session = p.session;
  if (p.oldStatus === S.InQueue && p.newStatus === S.ClosedFromQueue) return [{ kind: 'missed', session, reason: 'left' }];
  if (p.oldStatus === S.InQueue && p.newStatus === S.OfflineForm) return [{ kind: 'missed', session, reason: 'offline' }];
  if (p.newStatus === S.RequestPosted) return [{ kind: 'offline-request', session }];
  return [];
}

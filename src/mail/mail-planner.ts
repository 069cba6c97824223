// Turns changes into queued mail, inside the transaction of the change: the missed-chat and offline-request mails
// to the topic's notified agents, the receipt to the customer, and the transcript the customer asks for. The mail
// is rendered here, in the topic's language, so the queue holds exactly what will be sent.
import { translate } from '../api/i18n.ts';
import { ChatMessageType } from '../domain/enums.ts';
import type { ChatStore, OutboxEvent } from '../domain/ports.ts';
import { topicOf } from '../domain/existing.ts';
import { renderTranscript } from '../domain/sessions/get-transcript.ts';
import type { Message, Session, Topic } from '../domain/types.ts';
import { resolveTimeZone } from '../lib/time-zones.ts';
import type { ParleyStore } from '../storage/store.ts';
import { isPlainAddress, oneLine } from './addresses.ts';
import { type MailTrigger, mailTriggers } from './mail-events.ts';
import { mailLanguage, type MailKind, missedHow, renderMail } from './templates.ts';

export class MailPlanner {
  constructor(private readonly defaultTimeZone: string) {}

  /** The store's event observer: mail for the changes that call for it, queued in their transaction. */
  readonly onEvent = async (event: OutboxEvent, store: ParleyStore) => {
    for (const trigger of mailTriggers(event)) await this.plan(trigger, store, event.createdAt);
  };

  /** Queues the session's transcript to `to`; false when one was queued for this session already. */
  async queueTranscript(chatStore: ChatStore, session: Session, to: string, now: Date): Promise<boolean> {
    const store = chatStore as ParleyStore; // the transaction's store is always the Kysely one
    if (await store.mail.queuedFor(session.id, 'transcript')) return false;
    const topic = await topicOf(store, session);
    const language = mailLanguage(topic.widget.languageIsoCode);
    const transcript = renderTranscript(await store.messages.forSession(session.id, 0), {
      html: false,
      timeZone: this.timeZone(topic),
      culture: language,
      translate: (t) => translate(t, language),
    });
    await this.enqueue(store, 'transcript', topic, session, { name: session.customerName, address: to }, now, { transcript });
    return true;
  }

  private async plan(trigger: MailTrigger, store: ParleyStore, now: Date) {
    const topic = await store.topics.byId(trigger.session.topicId);
    if (!topic) return;
    const s = trigger.session;
    const language = mailLanguage(topic.widget.languageIsoCode);
    const messages = await store.messages.forSession(s.id, 0);
    if (trigger.kind === 'missed') {
      const values = { how: missedHow(language, trigger.reason), message: firstFromCustomer(messages) };
      for (const agent of await notifiedAgents(store, topic.id)) await this.enqueue(store, 'missed', topic, s, agent, now, values);
      return;
    }
    const values = { ticket: String(s.ticketId ?? ''), message: lastFromCustomer(messages) };
    if (isPlainAddress(s.customerEmail)) {
      await this.enqueue(store, 'receipt', topic, s, { name: s.customerName, address: s.customerEmail }, now, values);
    }
    for (const agent of await notifiedAgents(store, topic.id)) await this.enqueue(store, 'offline-request', topic, s, agent, now, values);
  }

  private async enqueue(
    store: ParleyStore,
    kind: MailKind,
    topic: Topic,
    s: Session,
    to: { name: string; address: string },
    now: Date,
    values: Record<string, string>,
  ) {
    const language = mailLanguage(topic.widget.languageIsoCode);
    const { subject, body } = renderMail(kind, language, {
      topic: oneLine(translate(topic.name, language)),
      customer: oneLine(s.customerName || s.customerEmail || s.customerAlias) || '-',
      email: s.customerEmail ? `<${s.customerEmail}>` : '',
      session: String(s.id),
      ...values,
    });
    await store.mail.enqueue({
      kind,
      sessionId: s.id,
      topicId: topic.id,
      recipientName: oneLine(to.name),
      recipientAddress: to.address,
      subject: oneLine(subject),
      body,
      createdAt: now,
    });
  }

  private timeZone(topic: Topic) {
    const zone = topic.openingHours.timeZone;
    return (zone && resolveTimeZone(zone)?.iana) || this.defaultTimeZone;
  }
}

/** Users with the topic's Notifications role who have an e-mail address (on their person). */
async function notifiedAgents(store: ChatStore, topicId: number): Promise<Array<{ name: string; address: string }>> {
  const ids = (await store.topicAgents.forTopic(topicId)).filter((a) => a.canNotify).map((a) => a.associateId);
  if (!ids.length) return [];
  const associates = (await store.associates.byIds(ids)).flatMap((a) => (!a.deleted && a.personId !== null ? [{ ...a, personId: a.personId }] : []));
  const persons = new Map((await store.crm.persons(associates.map((a) => a.personId))).map((p) => [p.id, p]));
  return associates.flatMap((a) => {
    const address = persons.get(a.personId)?.email.trim() ?? '';
    return isPlainAddress(address) ? [{ name: a.fullName || a.userName, address }] : [];
  });
}

const fromCustomer = (messages: Message[]) => messages.filter((m) => m.type === ChatMessageType.ToUser);
const firstFromCustomer = (messages: Message[]) => fromCustomer(messages)[0]?.message ?? '';
const lastFromCustomer = (messages: Message[]) => fromCustomer(messages).at(-1)?.message ?? '';

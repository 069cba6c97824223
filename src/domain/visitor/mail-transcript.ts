// The customer asks for the transcript by e-mail once the chat has ended, where the topic offers transcripts
// (PostTranscriptEnabled): to the address given, else the one the session has. One transcript mail per chat.
import { conflict, invalid } from '../errors.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import { topicOf } from '../existing.ts';
import { isEnded } from '../session-status.ts';
import type { Session } from '../types.ts';
import { checkEmail } from './customer-details.ts';

export async function mailTranscript(deps: DomainDeps, store: ChatStore, session: Session, email: string | undefined): Promise<Session> {
  const topic = await topicOf(store, session);
  if (!topic.widget.postTranscriptEnabled) throw conflict('This topic does not offer transcripts');
  if (!deps.mailer) throw conflict('This server sends no e-mail');
  if (!isEnded(session.status)) throw conflict('The transcript is sent once the chat has ended');
  const to = email?.trim() || session.customerEmail;
  if (!to) throw invalid('Email: no e-mail address given, and the chat has none');
  checkEmail({ customerEmail: to });
  if (!(await deps.mailer.queueTranscript(store, session, to, deps.clock.now()))) throw conflict('The transcript of this chat was sent already');
  return session;
}

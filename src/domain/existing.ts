// Rows that must exist where they are named: a session's topic (a foreign key keeps it) and a user a change names.
// Read, with a clear error rather than a crash should one be gone meanwhile.
import { invalid, notFound } from './errors.ts';
import type { ChatStore } from './ports.ts';
import type { Associate, Session, Topic } from './types.ts';

export async function topicOf(store: ChatStore, session: Pick<Session, 'topicId'>): Promise<Topic> {
  const topic = await store.topics.byId(session.topicId);
  if (!topic) throw notFound(`Chat topic ${session.topicId}`);
  return topic;
}

export async function namedUser(store: ChatStore, id: number): Promise<Associate> {
  const user = await store.associates.byId(id);
  if (!user) throw invalid(`No user with id ${id}`);
  return user;
}

// A file of a chat, for whoever may read the chat: agents who can read the session, or the customer of that
// session (by its key). Anyone else learns nothing, not even that the file exists.
import { notFound } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canSeeSession } from '../rights.ts';
import type { Attachment } from '../types.ts';

export type FileReader = { actor: Actor } | { visitorSessionId: number };

export async function readFile(deps: DomainDeps, reader: FileReader, id: number): Promise<{ attachment: Attachment; content: Uint8Array }> {
  const { store } = deps;
  const attachment = await store.attachments.byId(id);
  const missing = notFound(`File ${id}`);
  if (!attachment) throw missing;
  if ('visitorSessionId' in reader) {
    if (reader.visitorSessionId !== attachment.sessionId) throw missing;
  } else {
    const session = await store.sessions.byId(attachment.sessionId);
    if (!session || !canSeeSession(reader.actor, await store.topicAgents.get(session.topicId, reader.actor.id))) throw missing;
  }
  const content = await store.attachments.content(id);
  if (!content) throw missing;
  return { attachment, content };
}

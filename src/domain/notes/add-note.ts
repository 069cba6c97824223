// Notes/Add: an internal note on a session, for colleagues only: whoever may read the session (listeners, the owner,
// managers, administrators) may add one. `@username` mentions a colleague who can see the session: they are told
// on their push stream. Stored apart from the chat's messages, so nothing customer-facing can ever show it.
import { invalid } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canSeeSession } from '../rights.ts';
import { sessionAccess } from '../sessions/session-access.ts';
import type { SessionNote } from '../types.ts';

const MAX_TEXT = 10_000;
const MENTION = /(?:^|[^\w@.])@([A-Za-z0-9._-]{1,64})/g;

export async function addNote(deps: DomainDeps, actor: Actor, sessionId: number, text: string): Promise<SessionNote> {
  if (!text.trim()) throw invalid('Text is required');
  if (text.length > MAX_TEXT) throw invalid(`Text: at most ${MAX_TEXT} characters`);
  return deps.store.transaction(async (store) => {
    const access = await sessionAccess(store, actor, sessionId, { lock: false, hidden: 'not-found', rules: [] });
    if (!access.granted) throw new Error('a policy without rules always grants');
    const { session } = access;
    const mentions: number[] = [];
    for (const [, name] of text.matchAll(MENTION)) {
      const user = await store.associates.byUserName(name.replace(/[.]+$/, ''));
      if (!user || user.deleted || user.id === actor.id || mentions.includes(user.id)) continue;
      // Only those who can read the chat hear of it: a note never leaks a session to someone outside its topic.
      if (canSeeSession({ ...user }, await store.topicAgents.get(session.topicId, user.id))) mentions.push(user.id);
    }
    const note = { sessionId, authorId: actor.id, authorName: actor.fullName || actor.userName, text, mentions, whenPosted: deps.clock.now() };
    const saved = { ...note, id: await store.notes.insert(note) };
    await store.events.append({
      type: 'session.note',
      topicId: session.topicId,
      sessionId,
      associateId: actor.id,
      createdAt: note.whenPosted,
      payload: { note: saved },
    });
    return saved;
  });
}

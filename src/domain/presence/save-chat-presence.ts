// SaveChatPresence: sets Present/Away for the listed users in one transaction. Everyone may set their own
// presence; another user's only administrators and managers of a topic where that user can respond. One refused or
// unknown user and nothing is stored; each change of another user's presence is logged (who set whose).
import { auditActorOf, recordAudit } from '../audit.ts';
import { accessDenied, invalid } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canSetPresence } from '../rights.ts';

export interface PresenceChange {
  userId: number;
  present: boolean;
}

export async function saveChatPresence(deps: DomainDeps, actor: Actor, changes: PresenceChange[]): Promise<void> {
  const ids = changes.map((c) => c.userId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw invalid(`User ${twice} is listed twice`);
  if (changes.length === 0) return;
  const setForOthers: Array<PresenceChange & { userName: string }> = [];
  await deps.store.transaction(async (store) => {
    const known = new Map((await store.associates.byIds(ids)).filter((u) => !u.deleted).map((u) => [u.id, u]));
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length) throw invalid(unknown.length === 1 ? `User ${unknown[0]} does not exist` : `Users ${unknown.join(', ')} do not exist`);

    const others = ids.filter((id) => id !== actor.id);
    if (others.length && !actor.isAdmin) {
      const mine = await store.topicAgents.forAssociate(actor.id);
      const managed = new Set(mine.filter((r) => r.canManage).map((r) => r.topicId));
      const theirs = await store.topicAgents.memberships(others);
      const denied = others.filter(
        (id) =>
          !canSetPresence(
            actor,
            id,
            managed,
            theirs.filter((m) => m.associateId === id && m.canRespond).map((m) => m.topicId),
          ),
      );
      if (denied.length) {
        throw accessDenied(
          `You may not set the chat presence of user ${denied.join(', ')}: only administrators and managers of a topic where the user can respond may`,
        );
      }
    }
    // Unchanged flags are not written: a write would invalidate every agent's cached lists for nothing.
    for (const c of changes) {
      const user = known.get(c.userId);
      if (!user || user.present === c.present) continue;
      await store.associates.setPresent(c.userId, c.present);
      if (c.userId !== actor.id) {
        setForOthers.push({ ...c, userName: user.userName });
        await recordAudit(
          store,
          auditActorOf(actor),
          deps.clock.now(),
          'presence.set',
          `user ${user.userName}`,
          { present: user.present },
          { present: c.present },
        );
      }
      await store.events.append({
        type: 'presence.changed',
        topicId: null,
        sessionId: null,
        associateId: actor.id,
        createdAt: deps.clock.now(),
        payload: { userId: c.userId, present: c.present },
      });
    }
  });
  // After the commit, so the log says only what happened.
  for (const c of setForOthers) {
    deps.log.info({ actorId: actor.id, actor: actor.userName, userId: c.userId, user: c.userName, present: c.present }, 'chat presence set for another user');
  }
}

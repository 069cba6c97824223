// TransferChatSession: the owner offers the session to another present agent who can respond in the topic; the
// receiver accepts or rejects. A manager of the topic may transfer any active session, and naming themselves
// takes it over at once. A caller who is neither owner nor manager changes nothing (as SuperOffice documents).
import { requireUser } from '../agents/resolve-user.ts';
import { invalid } from '../errors.ts';
import { ChatMessageSpecialType as Special } from '../enums.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canManageTopic } from '../rights.ts';
import { isActive } from '../session-status.ts';
import type { Session } from '../types.ts';
import { requireTransferTarget } from './hand-over.ts';
import { freeRank, persist, specialMessage } from './life-cycle.ts';
import { retryOnConflict } from './retry.ts';
import { type AccessPolicy, sessionAccess } from './session-access.ts';

const TRANSFER: AccessPolicy = {
  lock: true,
  hidden: 'null',
  rules: [
    {
      allows: ({ actor, role, session }) => isActive(session.status) && (session.userId === actor.id || canManageTopic(actor, role)),
      otherwise: 'unchanged',
    },
  ],
};

export function transferSession(deps: DomainDeps, actor: Actor, sessionId: number, toAssociate: string): Promise<Session | undefined> {
  return retryOnConflict(() =>
    deps.store.transaction(async (store) => {
      const access = await sessionAccess(store, actor, sessionId, TRANSFER);
      if (!access.granted) return access.answer;
      const { session } = access;
      const manager = canManageTopic(actor, access.role);
      const target = await requireUser(store, toAssociate);
      if (target.id === session.userId) throw invalid(`${target.userName} already handles chat session ${sessionId}`);
      if (target.id === actor.id && manager) {
        // Take-over: the manager becomes the owner; the previous agent is left reading, as after a transfer.
        const taken = { ...session, userId: actor.id, transferToId: null, rank: await freeRank(store, actor.id) };
        const saved = await persist(deps, store, session, taken, actor.id);
        return (
          await specialMessage(deps, store, saved, Special.TransferedSession, `${actor.fullName} took over the chat`, actor.fullName, actor.id, actor.userName)
        ).session;
      }
      await requireTransferTarget(store, session.topicId, target);
      return persist(deps, store, session, { ...session, transferToId: target.id }, actor.id);
    }),
  );
}

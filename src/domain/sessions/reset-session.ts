// ResetChatSession: a bot hands the conversation to people. The session starts over: queued when an agent who
// can respond is present, otherwise the offline form; the bot flag goes off and nobody owns it. A chat people are
// having is sent back only by its owner or a manager of the topic; anyone else gets it back unchanged, as
// SuperOffice answers other calls that do not apply (TransferChatSession by a non-owner).
import type { DomainDeps } from '../ports.ts';
import { type Actor, canSteerSession } from '../rights.ts';
import { isActive, isWaiting } from '../session-status.ts';
import type { Session } from '../types.ts';
import { persist } from './life-cycle.ts';
import { requeue } from './queue.ts';
import { retryOnConflict } from './retry.ts';
import { type AccessPolicy, MAY_RESPOND, sessionAccess } from './session-access.ts';

const RESET: AccessPolicy = {
  lock: true,
  hidden: 'null',
  rules: [
    MAY_RESPOND,
    { allows: ({ session }) => isActive(session.status) || isWaiting(session.status), otherwise: 'unchanged' },
    { allows: ({ actor, role, session }) => canSteerSession(actor, role, session), otherwise: 'unchanged' },
  ],
};

export function resetSession(deps: DomainDeps, actor: Actor, sessionId: number): Promise<Session | undefined> {
  return retryOnConflict(() =>
    deps.store.transaction(async (store) => {
      const access = await sessionAccess(store, actor, sessionId, RESET);
      if (!access.granted) return access.answer;
      const reset = { ...(await requeue(store, access.session, deps.clock.now())), chatbotIsActive: false };
      return persist(deps, store, access.session, reset, actor.id);
    }),
  );
}

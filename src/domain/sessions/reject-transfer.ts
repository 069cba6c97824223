// RejectChatSessionTransfer: the receiver declines ("TransferRejected" in the conversation), or the owner or a
// manager of the topic cancels the offer. Either way the owner keeps the session. Without a pending transfer
// nothing changes.
import { ChatMessageSpecialType as Special } from '../enums.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canManageTopic } from '../rights.ts';
import type { Session } from '../types.ts';
import { persist, specialMessage } from './life-cycle.ts';
import { retryOnConflict } from './retry.ts';
import { type AccessPolicy, sessionAccess } from './session-access.ts';

const REJECT: AccessPolicy = {
  lock: true,
  hidden: 'null',
  rules: [
    {
      allows: ({ actor, role, session }) =>
        session.transferToId === actor.id || (session.transferToId !== null && (session.userId === actor.id || canManageTopic(actor, role))),
      otherwise: 'unchanged',
    },
  ],
};

export function rejectTransfer(deps: DomainDeps, actor: Actor, sessionId: number): Promise<Session | undefined> {
  return retryOnConflict(() =>
    deps.store.transaction(async (store) => {
      const access = await sessionAccess(store, actor, sessionId, REJECT);
      if (!access.granted) return access.answer;
      const { session } = access;
      const saved = await persist(deps, store, session, { ...session, transferToId: null }, actor.id);
      if (session.transferToId !== actor.id) return saved; // the owner or a manager cancelled the offer
      return (
        await specialMessage(deps, store, saved, Special.TransferRejected, `${actor.fullName} declined the transfer`, actor.fullName, actor.id, actor.userName)
      ).session;
    }),
  );
}

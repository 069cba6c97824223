// RejectChatSessionTransfer: the receiver declines ("TransferRejected" in the conversation), or the owner or a
// manager of the topic cancels the offer. Either way the owner keeps the session. Without a pending transfer
// nothing changes.
import { ChatMessageSpecialType as Special } from '../enums.ts';
import type { DomainDeps } from '../ports.ts';
import { type Actor, canManageTopic, canSeeSession } from '../rights.ts';
import type { Session } from '../types.ts';
import { persist, specialMessage } from './life-cycle.ts';
import { retryOnConflict } from './retry.ts';

export function rejectTransfer(deps: DomainDeps, actor: Actor, sessionId: number): Promise<Session | undefined> {
  return retryOnConflict(() => deps.store.transaction(async (store) => {
    const session = await store.sessions.byIdForUpdate(sessionId);
    const role = session && (await store.topicAgents.get(session.topicId, actor.id));
    if (!session || !canSeeSession(actor, role)) return undefined;
    const receiver = session.transferToId === actor.id;
    const cancels = session.transferToId !== null && (session.userId === actor.id || canManageTopic(actor, role));
    if (!receiver && !cancels) return session;
    const saved = await persist(deps, store, session, { ...session, transferToId: null }, actor.id);
    if (!receiver) return saved;
    return (await specialMessage(deps, store, saved, Special.TransferRejected, `${actor.fullName} declined the transfer`, actor.fullName, actor.id, actor.userName)).session;
  }));
}

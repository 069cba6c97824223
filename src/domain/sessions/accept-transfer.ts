// AcceptChatSessionTransfer: the agent a transfer waits for becomes the owner; the previous owner is left
// reading (a listener cannot write). Without a pending transfer to the caller nothing changes, and nothing changes
// either when the caller may no longer take it (CanRespond withdrawn, or retired, since the offer was made). When
// two accepts race, the compare-and-set lets exactly one through.
import { ChatMessageSpecialType as Special } from '../enums.ts';
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { Session } from '../types.ts';
import { freeRank, persist, specialMessage } from './life-cycle.ts';
import { retryOnConflict } from './retry.ts';
import { type AccessPolicy, sessionAccess } from './session-access.ts';

const ACCEPT: AccessPolicy = {
  lock: true,
  hidden: 'null',
  rules: [
    { allows: ({ actor, session }) => session.transferToId === actor.id, otherwise: 'unchanged' },
    // The offer was checked when it was made (TransferChatSession); the receiver must still qualify now.
    { allows: async ({ actor, role, store }) => !!role?.canRespond && (await store.associates.byId(actor.id))?.deleted === false, otherwise: 'unchanged' },
  ],
};

export function acceptTransfer(deps: DomainDeps, actor: Actor, sessionId: number): Promise<Session | undefined> {
  return retryOnConflict(() =>
    deps.store.transaction(async (store) => {
      const access = await sessionAccess(store, actor, sessionId, ACCEPT);
      if (!access.granted) return access.answer;
      const { session } = access;
      const previous = session.userId ? await store.associates.byId(session.userId) : undefined;
      const accepted = { ...session, userId: actor.id, transferToId: null, rank: await freeRank(store, actor.id) };
      const saved = await persist(deps, store, session, accepted, actor.id);
      const text = previous ? `${previous.fullName} transferred the chat to ${actor.fullName}` : `${actor.fullName} took the chat`;
      return (await specialMessage(deps, store, saved, Special.TransferedSession, text, actor.fullName, actor.id, previous?.userName ?? '')).session;
    }),
  );
}

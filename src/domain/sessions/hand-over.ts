// Who may be handed a chat: the rules TransferChatSession applies, shared with the managers' saves that set User
// or TransferTo, so a save cannot give a chat to someone who cannot answer it (or even see it).
import { invalid } from '../errors.ts';
import type { ChatStore } from '../ports.ts';
import type { Associate } from '../types.ts';

async function requireResponder(store: ChatStore, topicId: number, user: Associate) {
  if (!(await store.topicAgents.get(topicId, user.id))?.canRespond) throw invalid(`${user.userName} cannot respond in chat topic ${topicId}`);
}

/** An owner: can respond in the topic, and is not retired. */
export async function requireOwnerFor(store: ChatStore, topicId: number, user: Associate) {
  await requireResponder(store, topicId, user);
  if (user.deleted) throw invalid(`${user.userName} is retired`);
}

/** The receiver of a transfer: can respond in the topic, and is present now (a retired user never is). */
export async function requireTransferTarget(store: ChatStore, topicId: number, user: Associate) {
  await requireResponder(store, topicId, user);
  if (!user.present || user.deleted) throw invalid(`${user.userName} is not present; transfers go to present agents only`);
}

// CannedResponses/Save: Id 0 adds a reply, another Id changes it. A topic's replies are kept by its managers and
// administrators, a personal one by its owner; a shortcut is unique within its scope.
import { conflict, invalid, notFound } from '../errors.ts';
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { CannedResponse } from '../types.ts';
import { requireKeeper } from './reply-access.ts';

export const SHORTCUT = /^[A-Za-z0-9-]{1,64}$/;
const MAX_TEXT = 10_000;

export interface CannedResponseInput {
  id: number;
  shortcut: string;
  title: string;
  text: string;
  /** 0: a personal reply of the caller. */
  topicId: number;
}

export async function saveCannedResponse(deps: DomainDeps, actor: Actor, input: CannedResponseInput): Promise<CannedResponse> {
  const shortcut = input.shortcut.trim();
  if (!SHORTCUT.test(shortcut)) throw invalid('Shortcut: 1 to 64 letters, digits or "-"');
  const title = input.title.trim();
  if (!title) throw invalid('Title is required');
  if (!input.text.trim()) throw invalid('Text is required');
  if (input.text.length > MAX_TEXT) throw invalid(`Text: at most ${MAX_TEXT} characters`);
  const scope = { topicId: input.topicId, associateId: input.topicId ? 0 : actor.id };
  return deps.store.transaction(async (store) => {
    let owner = scope.associateId;
    if (input.id) {
      const current = await store.cannedResponses.byId(input.id);
      if (!current) throw notFound(`Quick reply ${input.id}`);
      await requireKeeper(store, actor, current); // may change what it is now...
      owner = current.topicId ? actor.id : current.associateId;
    }
    const target = { topicId: scope.topicId, associateId: scope.topicId ? 0 : owner };
    await requireKeeper(store, actor, target); // ...and where it goes
    const taken = await store.cannedResponses.byShortcut(target, shortcut);
    if (taken && taken.id !== input.id) throw conflict(`The shortcut '${shortcut}' is taken in this ${target.topicId ? 'topic' : 'list'}`);
    const reply = { shortcut, title: title.slice(0, 255), text: input.text, ...target, whenUpdated: deps.clock.now() };
    if (input.id) {
      await store.cannedResponses.update({ ...reply, id: input.id });
      return { ...reply, id: input.id };
    }
    return { ...reply, id: await store.cannedResponses.insert(reply) };
  });
}

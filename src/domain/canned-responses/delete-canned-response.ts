// CannedResponses/Delete: by whoever may keep the reply; an unknown id changes nothing.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import { requireKeeper } from './reply-access.ts';

export function deleteCannedResponse(deps: DomainDeps, actor: Actor, id: number): Promise<void> {
  return deps.store.transaction(async (store) => {
    const reply = await store.cannedResponses.byId(id);
    if (!reply) return;
    await requireKeeper(store, actor, reply);
    await store.cannedResponses.remove(id);
  });
}

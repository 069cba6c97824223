// ChatTopicsForUser: the topics where the caller holds any of the four roles.
import type { DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { Topic } from '../types.ts';

export const topicsForUser = (deps: DomainDeps, actor: Actor): Promise<Topic[]> => deps.store.topics.forMember(actor.id);

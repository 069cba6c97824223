// A visitor reaches exactly one session: the one its key opens. Every visitor command starts here, inside its
// transaction, with the row locked; a wrong key is indistinguishable from a missing session.
import { DomainError } from '../errors.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Session } from '../types.ts';
import { retryOnConflict } from '../sessions/retry.ts';

export const unknownKey = () => new DomainError('unauthenticated', 'Unknown or expired session key');

export function withVisitorSession<T>(deps: DomainDeps, sessionKey: string, work: (store: ChatStore, session: Session) => Promise<T>): Promise<T> {
  return retryOnConflict(() =>
    deps.store.transaction(async (store) => {
      const session = await store.sessions.byKeyForUpdate(sessionKey);
      if (!session) throw unknownKey();
      return work(store, session);
    }),
  );
}

/** The id of the session a visitor's key opens (admission checked the key exists; it may be gone since). */
export async function sessionKeyOwner(deps: DomainDeps, sessionKey: string): Promise<number> {
  const session = await deps.store.sessions.byKey(sessionKey);
  if (!session) throw unknownKey();
  return session.id;
}

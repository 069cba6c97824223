// Finds the user a call names: by associate id, or by user name when the id is 0 or missing.
import { invalid } from '../errors.ts';
import type { ChatStore } from '../ports.ts';
import type { Associate } from '../types.ts';

export interface UserRef {
  associateId?: number;
  userName?: string;
}

export async function resolveUser(store: ChatStore, ref: UserRef | string): Promise<Associate | undefined> {
  if (typeof ref === 'string') {
    const text = ref.trim();
    return /^\d+$/.test(text) ? store.associates.byId(Number(text)) : store.associates.byUserName(text);
  }
  if (ref.associateId && ref.associateId > 0) return store.associates.byId(ref.associateId);
  if (ref.userName) return store.associates.byUserName(ref.userName);
  return undefined;
}

export async function requireUser(store: ChatStore, ref: UserRef | string): Promise<Associate> {
  const user = await resolveUser(store, ref);
  if (!user) {
    const name = typeof ref === 'string' ? ref : ref.associateId || ref.userName || '(none given)';
    throw invalid(`User ${name} does not exist`);
  }
  return user;
}

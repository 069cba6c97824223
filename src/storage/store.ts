// Assembles the repositories over one Kysely handle; a transaction hands out the same set bound to it.
import type { Kysely } from 'kysely';
import type { ChatStore } from '../domain/ports.ts';
import { KyselyAssociateRepository } from './associate.repository.ts';
import { KyselyCredentialRepository } from './credential.repository.ts';
import { KyselyCrmRepository } from './crm.repository.ts';
import type { Database } from './schema.ts';
import { KyselyMessageRepository, KyselySessionRepository } from './session.repository.ts';
import { KyselyTopicAgentRepository, KyselyTopicRepository } from './topic.repository.ts';

export interface ParleyStore extends ChatStore {
  associates: KyselyAssociateRepository;
  credentials: KyselyCredentialRepository;
  db: Kysely<Database>;
  /** The change counter every write bumps (see migration 002); equal values mean no chat data changed. */
  dataVersion(): Promise<number>;
}

export function createStore(db: Kysely<Database>, kind: 'sqlite' | 'postgres' = 'sqlite'): ParleyStore {
  return {
    db,
    associates: new KyselyAssociateRepository(db),
    credentials: new KyselyCredentialRepository(db),
    topics: new KyselyTopicRepository(db, kind),
    topicAgents: new KyselyTopicAgentRepository(db),
    sessions: new KyselySessionRepository(db),
    messages: new KyselyMessageRepository(db),
    crm: new KyselyCrmRepository(db),
    dataVersion: async () => Number((await db.selectFrom('data_version').select('version').where('id', '=', 1).executeTakeFirstOrThrow()).version),
    transaction: (work) => (db.isTransaction ? work(createStore(db, kind)) : db.transaction().execute((trx) => work(createStore(trx, kind)))),
  };
}

// Assembles the repositories over one Kysely handle; a transaction hands out the same set bound to it.
// Events appended in a transaction are announced once it commits (and never when it rolls back).
import { type Kysely, sql } from 'kysely';
import type { ChatStore, OutboxEvent } from '../domain/ports.ts';
import { KyselyAttachmentStore } from './attachment.repository.ts';
import { KyselyAuditRepository } from './audit.repository.ts';
import { KyselyAssociateRepository } from './associate.repository.ts';
import { announceRevocation } from './revocation-channel.ts';
import { KyselyCredentialRepository } from './credential.repository.ts';
import { KyselyCrmRepository } from './crm.repository.ts';
import { KyselyCustomerDataRepository } from './customer-data.repository.ts';
import { KyselyEventRepository } from './event.repository.ts';
import { KyselyMailRepository } from './mail.repository.ts';
import { KyselyOidcFlowRepository } from './oidc-flow.repository.ts';
import { KyselyRoutingRepository } from './routing.repository.ts';
import { KyselyRoutingSettingsRepository } from './routing-settings.repository.ts';
import { KyselyReportRepository } from './report.repository.ts';
import { CallerVersionReader } from './scope-versions.ts';
import { DomainError } from '../domain/errors.ts';
import { type Capabilities, capabilitiesOf, type DatabaseKind, isConnectionLost, isRetryableConflict } from './dialect.ts';
import type { Database } from './schema.ts';
import { KyselyMessageRepository, KyselySessionRepository } from './session.repository.ts';
import { KyselyTopicAgentRepository, KyselyTopicRepository } from './topic.repository.ts';
import { KyselyWebhookRepository } from './webhook.repository.ts';
import { KyselyCannedResponseRepository, KyselyNoteRepository, KyselyVisitorContextRepository } from './workspace.repository.ts';

export interface ParleyStore extends ChatStore {
  associates: KyselyAssociateRepository;
  credentials: KyselyCredentialRepository;
  events: KyselyEventRepository;
  webhooks: KyselyWebhookRepository;
  mail: KyselyMailRepository;
  audit: KyselyAuditRepository;
  oidcFlows: KyselyOidcFlowRepository;
  db: Kysely<Database>;
  /** What the database can do (row locks, ordered ids, notifications...): storage differences are asked here. */
  capabilities: Capabilities;
  /** The change counter every write bumps (migrations 002 and 006); equal values mean no chat data changed. */
  dataVersion(): Promise<number>;
  /** The version of what the caller's own lists are built from (migration 021); equal values mean none of it changed. */
  callerVersion(associateId: number): Promise<string>;
  /** Called after a commit that appended events or queued mail (or after one written outside a transaction). */
  onEventsCommitted(listener: () => void): void;
  /** As ChatStore's, with every repository of this store bound to the transaction. */
  transaction<T>(work: (store: ParleyStore) => Promise<T>): Promise<T>;
}

/** Runs after each event is appended, in its transaction, with the store of that transaction (e-mail planning). */
export type EventObserver = (event: OutboxEvent, store: ParleyStore) => Promise<void>;

export function createStore(db: Kysely<Database>, kind: DatabaseKind = 'sqlite', observer?: EventObserver): ParleyStore {
  const listeners: Array<() => void> = [];
  const announce = () => {
    for (const l of listeners) l();
  };
  return build(db, capabilitiesOf(kind), listeners, announce, observer);
}

function build(db: Kysely<Database>, caps: Capabilities, listeners: Array<() => void>, onAppend: () => void, observer?: EventObserver): ParleyStore {
  const sessions = new KyselySessionRepository(db, caps);
  const messages = new KyselyMessageRepository(db);
  const crm = new KyselyCrmRepository(db);
  const attachments = new KyselyAttachmentStore(db);
  const callerVersions = new CallerVersionReader(db);
  const store: ParleyStore = {
    db,
    capabilities: caps,
    associates: new KyselyAssociateRepository(db, announceRevocation(caps)),
    credentials: new KyselyCredentialRepository(db, announceRevocation(caps)),
    topics: new KyselyTopicRepository(db, caps),
    topicAgents: new KyselyTopicAgentRepository(db),
    sessions,
    messages,
    crm,
    cannedResponses: new KyselyCannedResponseRepository(db),
    notes: new KyselyNoteRepository(db),
    visitorContext: new KyselyVisitorContextRepository(db),
    attachments,
    routingSettings: new KyselyRoutingSettingsRepository(db),
    routing: new KyselyRoutingRepository(db, caps),
    customers: new KyselyCustomerDataRepository(db, sessions, messages, crm, attachments),
    events: new KyselyEventRepository(db, caps, onAppend, observer && ((e) => observer(e, store))),
    webhooks: new KyselyWebhookRepository(db, caps),
    mail: new KyselyMailRepository(db, caps, onAppend),
    audit: new KyselyAuditRepository(db),
    reports: new KyselyReportRepository(db, caps),
    oidcFlows: new KyselyOidcFlowRepository(db),
    dataVersion: async () =>
      Number(
        (
          await db
            .selectFrom('data_version')
            .select((eb) => eb.fn.sum('version').as('version'))
            .executeTakeFirstOrThrow()
        ).version,
      ),
    callerVersion: (associateId) => callerVersions.read(associateId),
    onEventsCommitted: (listener) => {
      listeners.push(listener);
    },
    async exclusively(name, work) {
      if (!caps.advisoryLocks) {
        await work(store);
        return true;
      }
      // A session-level advisory lock, held on one connection for the whole run.
      return db.connection().execute(async (conn) => {
        const key = sql<number>`hashtext(${name})`;
        const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${key}) as ok`.execute(conn);
        if (!got.rows[0]?.ok) return false;
        try {
          await work(build(conn, caps, listeners, onAppend, observer));
        } finally {
          await sql`select pg_advisory_unlock(${key})`.execute(conn);
        }
        return true;
      });
    },
    async transaction(work) {
      if (db.isTransaction) return work(store);
      for (let attempt = 1; ; attempt++) {
        let appended = false;
        let committing = false;
        try {
          const result = await db.transaction().execute(async (trx) => {
            const done = await work(
              build(
                trx,
                caps,
                listeners,
                () => {
                  appended = true;
                },
                observer,
              ),
            );
            committing = true;
            return done;
          });
          if (appended) for (const l of listeners) l();
          return result;
        } catch (err) {
          if (isRetryableConflict(err)) throw new DomainError('conflict', 'A concurrent change got there first; try again', { retryable: true });
          // The connection was lost before COMMIT was sent: nothing was written, so the whole transaction runs once
          // more on a fresh connection. A loss during COMMIT leaves the outcome unknown: that one is not repeated.
          if (attempt === 1 && !committing && isConnectionLost(err)) continue;
          throw err;
        }
      }
    },
  };
  return store;
}

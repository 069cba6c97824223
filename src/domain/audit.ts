// The audit trail: who changed what an administrator answers for (topics, roles, users, credentials, webhooks,
// presence set for someone else, sessions deleted by a person, personal-data requests, failed log-ins), when, from
// which address, old → new. Each entry is written in the transaction of the change it describes.
import type { Actor } from './rights.ts';

export const AUDIT_KINDS = [
  'topic.created',
  'topic.changed',
  'topic.deleted',
  'routing.changed',
  'roles.changed',
  'roles.removed',
  'user.added',
  'user.removed',
  'user.password-changed',
  'token.issued',
  'token.revoked',
  'app.added',
  'app.revoked',
  'webhook.added',
  'webhook.removed',
  'presence.set',
  'session.deleted',
  'login.failed',
  'login.throttled',
  'privacy.exported',
  'privacy.erased',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export const isAuditKind = (k: string): k is AuditKind => (AUDIT_KINDS as readonly string[]).includes(k);

/** Old and new values: for a change only the fields that differ; null where nothing was before (or is after). */
export type AuditValues = Record<string, unknown> | null;

/** Who did it and from where: a signed-in user, the command line, or an unauthenticated caller (failed log-ins). */
export interface AuditActor {
  actorId: number | null;
  actorName: string;
  address: string;
}

export interface AuditEntry extends AuditActor {
  at: Date;
  kind: AuditKind;
  /** What was changed, in words an operator can search: "topic 3 Support", "user tje0". */
  subject: string;
  before: AuditValues;
  after: AuditValues;
}

export interface StoredAuditEntry extends AuditEntry {
  id: number;
}

export interface AuditFilter {
  /** User name of whoever acted (exact, case-insensitive). */
  actorName?: string;
  kind?: AuditKind;
  since?: Date;
  until?: Date;
  /** Newest first, at most this many. */
  limit: number;
}

export interface AuditRepository {
  record(entry: AuditEntry): Promise<void>;
  list(filter: AuditFilter): Promise<StoredAuditEntry[]>;
  removeOlderThan(cutoff: Date): Promise<number>;
}

/** Notes a change in the audit trail of `store` (inside the change's transaction). */
export const recordAudit = (
  store: { audit: AuditRepository },
  by: AuditActor,
  at: Date,
  kind: AuditKind,
  subject: string,
  before: AuditValues,
  after: AuditValues,
) => store.audit.record({ ...by, at, kind, subject, before, after });

/** The command line acts as id 0: no user of the database. */
export const auditActorOf = (actor: Actor): AuditActor => ({
  actorId: actor.id > 0 ? actor.id : null,
  actorName: actor.userName,
  address: actor.address ?? '',
});

/**
 * The fields of `after` that differ from `before`, each side holding only those; equal values (compared as JSON)
 * are left out. Null when nothing changed.
 */
export function changedFields(before: object, after: object): { before: Record<string, unknown>; after: Record<string, unknown> } | null {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  const was = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
    if (JSON.stringify(was[key]) === JSON.stringify(now[key])) continue;
    b[key] = was[key];
    a[key] = now[key];
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

// Reading the audit trail: administrators only.
import type { AuditFilter, StoredAuditEntry } from './audit.ts';
import { accessDenied } from './errors.ts';
import type { DomainDeps } from './ports.ts';
import type { Actor } from './rights.ts';

export async function listAudit(deps: DomainDeps, actor: Actor, filter: AuditFilter): Promise<StoredAuditEntry[]> {
  if (!actor.isAdmin) throw accessDenied('Only administrators read the audit trail');
  return deps.store.audit.list(filter);
}

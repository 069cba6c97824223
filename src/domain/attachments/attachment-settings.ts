// A topic's limits on files: which kinds (default: images, PDF, plain text, office documents), the largest size
// (default and ceiling: PARLEY_ATTACHMENT_MAX_BYTES), whether visitors may send files (default: yes). Members read
// them; managers and administrators change them.
import { FILE_KINDS } from '../../lib/file-signature.ts';
import { requireTopicAccess } from '../agents/topic-access.ts';
import { invalid } from '../errors.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import type { AttachmentSettings } from '../types.ts';

export async function effectiveSettings(deps: DomainDeps, store: ChatStore, topicId: number): Promise<AttachmentSettings> {
  const stored = await store.attachments.settings(topicId);
  const defaults = { allowedKinds: [...FILE_KINDS], maxBytes: deps.attachmentMaxBytes, visitorsMayUpload: true };
  const s = { ...defaults, ...stored, topicId };
  return { ...s, maxBytes: Math.min(s.maxBytes, deps.attachmentMaxBytes) };
}

export async function getAttachmentSettings(deps: DomainDeps, actor: Actor, topicId: number): Promise<AttachmentSettings> {
  await requireTopicAccess(deps.store, actor, topicId, 'see');
  return effectiveSettings(deps, deps.store, topicId);
}

export async function saveAttachmentSettings(deps: DomainDeps, actor: Actor, s: AttachmentSettings): Promise<AttachmentSettings> {
  const unknown = s.allowedKinds.filter((k) => !(FILE_KINDS as readonly string[]).includes(k));
  if (unknown.length) throw invalid(`AllowedKinds: ${unknown.join(', ')} unknown; the kinds are ${FILE_KINDS.join(', ')}`);
  if (!Number.isInteger(s.maxBytes) || s.maxBytes < 1 || s.maxBytes > deps.attachmentMaxBytes) {
    throw invalid(`MaxBytes must lie between 1 and ${deps.attachmentMaxBytes} (PARLEY_ATTACHMENT_MAX_BYTES)`);
  }
  return deps.store.transaction(async (store) => {
    await requireTopicAccess(store, actor, s.topicId, 'manage');
    const saved = { ...s, allowedKinds: [...new Set(s.allowedKinds)] };
    await store.attachments.saveSettings(saved);
    return saved;
  });
}

// Files kept in the database (attachments), removed with their session by the foreign key; and topics' limits.
import type { Kysely } from 'kysely';
import type { AttachmentStore } from '../domain/ports.ts';
import type { Attachment, AttachmentSettings } from '../domain/types.ts';
import { fromDbFlag, fromDbInstant, toDbFlag, toDbInstant } from './dialect.ts';
import type { Database } from './schema.ts';

const toAttachment = (r: {
  id: number;
  session_id: number;
  name: string;
  content_type: string;
  size: number;
  uploaded_by: number | null;
  created_at: unknown;
}): Attachment => ({
  id: r.id,
  sessionId: r.session_id,
  name: r.name,
  contentType: r.content_type,
  size: r.size,
  uploadedBy: r.uploaded_by,
  createdAt: fromDbInstant(r.created_at) as Date,
});

export class KyselyAttachmentStore implements AttachmentStore {
  constructor(private readonly db: Kysely<Database>) {}

  async put(m: Parameters<AttachmentStore['put']>[0], content: Uint8Array) {
    const row = await this.db
      .insertInto('attachments')
      .values({
        session_id: m.sessionId,
        name: m.name,
        content_type: m.contentType,
        size: m.size,
        content: Buffer.from(content),
        uploaded_by: m.uploadedBy,
        created_at: toDbInstant(m.createdAt) as string,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  private meta() {
    return this.db.selectFrom('attachments').select(['id', 'session_id', 'name', 'content_type', 'size', 'uploaded_by', 'created_at']);
  }

  async byId(id: number) {
    const r = await this.meta().where('id', '=', id).executeTakeFirst();
    return r && toAttachment(r);
  }

  async forSession(sessionId: number) {
    return (await this.meta().where('session_id', '=', sessionId).orderBy('id').execute()).map(toAttachment);
  }

  async content(id: number) {
    const r = await this.db.selectFrom('attachments').select('content').where('id', '=', id).executeTakeFirst();
    return r && new Uint8Array(r.content);
  }

  async settings(topicId: number) {
    const r = await this.db.selectFrom('topic_attachment_settings').selectAll().where('topic_id', '=', topicId).executeTakeFirst();
    return (
      r && {
        allowedKinds: r.allowed_kinds.split(',').filter(Boolean),
        maxBytes: r.max_bytes,
        visitorsMayUpload: fromDbFlag(r.visitors_may_upload),
      }
    );
  }

  async saveSettings(s: AttachmentSettings) {
    const values = { allowed_kinds: s.allowedKinds.join(','), max_bytes: s.maxBytes, visitors_may_upload: toDbFlag(s.visitorsMayUpload) };
    await this.db
      .insertInto('topic_attachment_settings')
      .values({ topic_id: s.topicId, ...values })
      .onConflict((oc) => oc.column('topic_id').doUpdateSet(values))
      .execute();
  }
}

// Files in chats: the agent's and the visitor's upload (the raw file as the body), and each topic's limits.
import { Type } from '@sinclair/typebox';
import { Bool, Int, Str, verbatim } from '../../carriers/kit.ts';
import { getAttachmentSettings, saveAttachmentSettings } from '../../domain/attachments/attachment-settings.ts';
import { downloadPath, type SentFile, sendFileAsAgent, sendFileAsVisitor } from '../../domain/attachments/send-file.ts';
import { sessionKeyOwner } from '../../domain/visitor/visitor-session.ts';
import type { AttachmentSettings } from '../../domain/types.ts';
import { detectFile, FILE_KINDS } from '../../lib/file-signature.ts';
import { defineEndpoint, defineVisitorEndpoint, RequestBody, type UploadedFile } from '../endpoint.ts';
import { badRequest } from '../errors.ts';

const BASE = '/api/v1/Parley/Attachments/';

const UploadedSchema = Type.Object(
  {
    AttachmentId: Int(),
    Name: Str(255),
    ContentType: Str(127, 'What the bytes are (the type the file is served with)'),
    Size: Int('Bytes'),
    Url: Str(255, 'Where it is downloaded (the message SpecialParam): agents with their credentials, the visitor with ?key='),
    ChatMessageId: Int('The Url message the file became'),
  },
  { $id: 'ParleyUploadedFile' },
);

const SettingsSchema = Type.Object(
  {
    TopicId: Int(),
    AllowedKinds: Type.Array(Str(10), { description: `Any of ${FILE_KINDS.join(', ')}` }),
    MaxBytes: Int('The largest file (at most PARLEY_ATTACHMENT_MAX_BYTES)'),
    VisitorsMayUpload: Bool(),
  },
  { $id: 'ParleyAttachmentSettings' },
);

const presentSettings = (s: AttachmentSettings) => ({
  TopicId: s.topicId,
  AllowedKinds: s.allowedKinds,
  MaxBytes: s.maxBytes,
  VisitorsMayUpload: s.visitorsMayUpload,
});

async function incoming(upload: UploadedFile | undefined) {
  if (!upload || upload.bytes.length === 0) throw badRequest('The body is the file: send its bytes, with X-File-Name');
  return { name: upload.fileName, bytes: upload.bytes, detected: await detectFile(upload.bytes, upload.contentType) };
}

const presentSent = ({ attachment: a, message }: SentFile) => ({
  AttachmentId: a.id,
  Name: verbatim(a.name),
  ContentType: a.contentType,
  Size: a.size,
  Url: downloadPath(a.id),
  ChatMessageId: message.id,
});

const FILE_RULES =
  "The bytes decide the type, not the name: the topic's allowed kinds (default: images, PDF, plain text, office documents) and size; a refused type leaves an IllegalFileType line and answers 415, a file too large 413.";

export const attachmentEndpoints = [
  defineEndpoint({
    name: 'AttachmentsUpload',
    path: `${BASE}Upload`,
    summary: `Sends a file in a chat (an agent with ?chatSessionId=, or the visitor with X-Session-Key, as Visitor/UploadFile): the raw file is the body (Content-Type its type, X-File-Name its name, percent-encoded when not ASCII). It becomes a message with SpecialType Url, SpecialParam the download URL, Message the name. ${FILE_RULES}`,
    rights: 'The agent handling the session; the visitor holding the session key',
    query: { chatSessionId: Int('The session') },
    upload: true,
    response: UploadedSchema,
    select: false,
    handle: async (ctx, { query, upload }) => presentSent(await sendFileAsAgent(ctx.deps, ctx.actor, query.chatSessionId, await incoming(upload))),
  }),
  defineVisitorEndpoint({
    name: 'VisitorUploadFile',
    path: '/api/v1/Visitor/UploadFile',
    audience: 'visitor',
    summary: `The customer sends a file in their chat, as Parley/Attachments/Upload does for agents. ${FILE_RULES} Refused (403) where the topic takes no files from visitors.`,
    rights: 'The visitor holding the session key',
    upload: true,
    rateLimit: 'write',
    response: UploadedSchema,
    select: false,
    handle: async (ctx, { upload }) => {
      const sessionId = await sessionKeyOwner(ctx.deps, ctx.visitorKey);
      return presentSent(await sendFileAsVisitor(ctx.deps, sessionId, await incoming(upload)));
    },
  }),
  defineEndpoint({
    name: 'AttachmentsGetSettings',
    path: `${BASE}GetSettings`,
    summary: "A topic's limits on files: the kinds allowed, the largest size, whether visitors may send files.",
    rights: 'Members of the topic, administrators',
    body: RequestBody('AttachmentsGetSettings', { TopicId: Int() }),
    response: SettingsSchema,
    handle: async (ctx, { body }) => presentSettings(await getAttachmentSettings(ctx.deps, ctx.actor, body.TopicId)),
  }),
  defineEndpoint({
    name: 'AttachmentsSaveSettings',
    path: `${BASE}SaveSettings`,
    summary: "Sets a topic's limits on files; answers them as stored.",
    rights: "The topic's managers, administrators",
    body: RequestBody('AttachmentsSaveSettings', { Settings: SettingsSchema }),
    response: SettingsSchema,
    handle: async (ctx, { body }) => {
      const s = body.Settings;
      if (!s) throw badRequest('Body: Settings is required');
      return presentSettings(
        await saveAttachmentSettings(ctx.deps, ctx.actor, {
          topicId: s.TopicId ?? 0,
          allowedKinds: s.AllowedKinds ?? [],
          maxBytes: s.MaxBytes ?? 0,
          visitorsMayUpload: s.VisitorsMayUpload ?? true,
        }),
      );
    },
  }),
];

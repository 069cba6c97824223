// A file sent in a chat, by the agent handling it or by the customer: checked against the topic's limits by what
// its bytes are (never its name), stored, and written into the conversation the SuperOffice way: a message with
// SpecialType Url whose SpecialParam is the download address and whose text is the file's name. The official
// client, the transcript and webhooks see it as any Url line. A kind the topic does not take leaves a visible
// IllegalFileType line and is refused (415).
import type { DetectedFile } from '../../lib/file-signature.ts';
import { ChatMessageSpecialType as Special, ChatMessageType } from '../enums.ts';
import { accessDenied, conflict, DomainError, invalid } from '../errors.ts';
import type { ChatStore, DomainDeps } from '../ports.ts';
import type { Actor } from '../rights.ts';
import { isEnded } from '../session-status.ts';
import { appendMessage, specialMessage } from '../sessions/life-cycle.ts';
import { requireSessionAccess, type StrictPolicy } from '../sessions/session-access.ts';
import type { Attachment, Message, Session } from '../types.ts';
import { postCustomerMessage } from '../visitor/customer-message.ts';
import { effectiveSettings } from './attachment-settings.ts';

export interface IncomingFile {
  name: string;
  bytes: Uint8Array;
  detected: DetectedFile;
}

export interface SentFile {
  attachment: Attachment;
  message: Message;
}

export const downloadPath = (id: number) => `/api/v1/Parley/Attachments/File/${id}`;

/** The name as shown and offered for saving: no folders, no control characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what goes
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 255);
  return clean || 'file';
}

const OWNER: StrictPolicy = {
  lock: true,
  rules: [
    { allows: ({ actor, session }) => session.userId === actor.id, otherwise: () => accessDenied('Only the agent handling the session sends files in it') },
    { allows: ({ session }) => !isEnded(session.status), otherwise: (s) => conflict(`Chat session ${s.id} has ended`) },
  ],
};

type Verdict = { ok: true } | { ok: false; error: DomainError; line: boolean };

async function judge(deps: DomainDeps, store: ChatStore, session: Session, file: IncomingFile, byVisitor: boolean): Promise<Verdict> {
  const limits = await effectiveSettings(deps, store, session.topicId);
  if (byVisitor && !limits.visitorsMayUpload) return { ok: false, error: accessDenied('This chat takes no files from visitors'), line: false };
  if (file.bytes.length === 0) return { ok: false, error: invalid('The file is empty'), line: false };
  if (file.bytes.length > limits.maxBytes) {
    return { ok: false, error: new DomainError('too-large', `The file is larger than this chat takes (${limits.maxBytes} bytes)`), line: false };
  }
  if (file.detected.kind === 'other' || !limits.allowedKinds.includes(file.detected.kind)) {
    return {
      ok: false,
      error: new DomainError('unsupported-type', `Files of this type (${file.detected.contentType}) cannot be sent in this chat`),
      line: true,
    };
  }
  return { ok: true };
}

async function store(deps: DomainDeps, tx: ChatStore, session: Session, file: IncomingFile, uploadedBy: number | null): Promise<Attachment> {
  const meta = {
    sessionId: session.id,
    name: cleanFileName(file.name),
    contentType: file.detected.contentType,
    size: file.bytes.length,
    uploadedBy,
    createdAt: deps.clock.now(),
  };
  return { ...meta, id: await tx.attachments.put(meta, file.bytes) };
}

/** Runs `send` in a transaction; a refusal that leaves a line commits the line, then throws. */
async function refusedOrSent(deps: DomainDeps, send: (tx: ChatStore) => Promise<SentFile | DomainError>): Promise<SentFile> {
  const outcome = await deps.store.transaction(send);
  if (outcome instanceof DomainError) throw outcome;
  return outcome;
}

export function sendFileAsAgent(deps: DomainDeps, actor: Actor, sessionId: number, file: IncomingFile): Promise<SentFile> {
  return refusedOrSent(deps, async (tx) => {
    const { session } = await requireSessionAccess(tx, actor, sessionId, OWNER);
    const verdict = await judge(deps, tx, session, file, false);
    if (!verdict.ok) {
      if (!verdict.line) throw verdict.error;
      await specialMessage(deps, tx, session, Special.IllegalFileType, cleanFileName(file.name), actor.fullName, actor.id);
      return verdict.error;
    }
    const attachment = await store(deps, tx, session, file, actor.id);
    const { message } = await appendMessage(
      deps,
      tx,
      session,
      {
        type: ChatMessageType.ToCustomer,
        message: attachment.name,
        author: actor.fullName,
        specialType: Special.Url,
        specialParam: downloadPath(attachment.id),
        createdBy: actor.id,
      },
      'agentMessage',
    );
    return { attachment, message };
  });
}

/** The customer sends a file on their session (the caller found it by its key). */
export function sendFileAsVisitor(deps: DomainDeps, sessionId: number, file: IncomingFile): Promise<SentFile> {
  return refusedOrSent(deps, async (tx) => {
    const session = await tx.sessions.byIdForUpdate(sessionId);
    if (!session) throw invalid('The session is gone');
    const verdict = await judge(deps, tx, session, file, true);
    if (!verdict.ok) {
      if (!verdict.line) throw verdict.error;
      await specialMessage(deps, tx, session, Special.IllegalFileType, cleanFileName(file.name), session.customerName || 'Customer', null);
      return verdict.error;
    }
    const attachment = await store(deps, tx, session, file, null);
    const { message } = await postCustomerMessage(deps, tx, session, attachment.name, { specialType: Special.Url, specialParam: downloadPath(attachment.id) });
    return { attachment, message };
  });
}

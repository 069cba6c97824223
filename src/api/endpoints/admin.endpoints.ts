// Parley's administration methods: the audit trail and personal-data requests (administrators only).
import { Type } from '@sinclair/typebox';
import { ChatMessageSchema, presentMessage } from '../../carriers/chat-message.carrier.ts';
import { ChatSessionSchema } from '../../carriers/chat-session.carrier.ts';
import { DateTime, Int, Nullable, Str, verbatim } from '../../carriers/kit.ts';
import { PersonSchema, presentPerson } from '../../carriers/person.carrier.ts';
import { presentTicket, TicketSchema } from '../../carriers/ticket.carrier.ts';
import { downloadPath } from '../../domain/attachments/send-file.ts';
import { AUDIT_KINDS, isAuditKind, type StoredAuditEntry } from '../../domain/audit.ts';
import { listAudit } from '../../domain/audit-trail.ts';
import { type CustomerData, eraseCustomerData, exportCustomerData } from '../../domain/privacy/customer-data.ts';
import { badRequest } from '../errors.ts';
import { type AgentContext, defineEndpoint, RequestBody } from '../endpoint.ts';
import { sessionOut } from './present.ts';

const AUDIT = '/api/v1/Parley/Audit/';
const PRIVACY = '/api/v1/Parley/Privacy/';
const ADMINS = 'Administrators';
const Email = Str(320, "The customer's e-mail address (matched without regard to case)");

const AuditEntrySchema = Type.Object(
  {
    Id: Int(),
    When: DateTime('When the change committed'),
    AssociateId: Type.Integer({ description: 'Who acted (0: the command line, or nobody signed in, as for failed log-ins)' }),
    UserName: Str(255, 'Who acted: the user name (for failed log-ins the name tried; cli:<account> for the command line)'),
    Address: Str(64, 'The client address the call came from ("local" for the command line)'),
    Kind: Str(40, `One of ${AUDIT_KINDS.join(', ')}`),
    Subject: Str(512, 'What was changed'),
    OldValues: Str(undefined, 'The changed fields before, as JSON ("" when there was nothing before)'),
    NewValues: Str(undefined, 'The changed fields after, as JSON ("" when there is nothing after)'),
  },
  { $id: 'ParleyAuditEntry' },
);

const presentAuditEntry = (e: StoredAuditEntry) => ({
  Id: e.id,
  When: e.at,
  AssociateId: e.actorId ?? 0,
  UserName: e.actorName,
  Address: e.address,
  Kind: e.kind,
  Subject: e.subject,
  OldValues: e.before ? JSON.stringify(e.before) : '',
  NewValues: e.after ? JSON.stringify(e.after) : '',
});

const CustomerMailSchema = Type.Object(
  { Id: Int(), Kind: Str(40), RecipientName: Str(), RecipientAddress: Str(), Subject: Str(), Body: Str(), Created: DateTime() },
  { $id: 'ParleyCustomerMail' },
);

const CustomerDataSchema = Type.Object(
  {
    Email: Str(),
    Sessions: Type.Array(
      Type.Object(
        {
          Session: ChatSessionSchema,
          Messages: Type.Array(ChatMessageSchema),
          Files: Type.Array(Type.Object({ Id: Int(), Name: Str(), ContentType: Str(), Size: Int(), Url: Str() }, { $id: 'ParleyCustomerFile' }), {
            description: 'Files of the chat (download each from its Url)',
          }),
          Context: Nullable(
            Type.Object({ PageUrl: Str(), PageTitle: Str(), Referrer: Str(), Language: Str(), UserAgent: Str() }, { $id: 'ParleyCustomerVisitorContext' }),
          ),
        },
        { $id: 'ParleyCustomerSession' },
      ),
    ),
    Persons: Type.Array(PersonSchema),
    Tickets: Type.Array(TicketSchema),
    Mail: Type.Array(CustomerMailSchema),
  },
  { $id: 'ParleyCustomerData' },
);

async function presentCustomerData(ctx: AgentContext, d: CustomerData) {
  const sessions = [];
  for (const { session, messages, context: c, files } of d.sessions) {
    sessions.push({
      Session: await sessionOut(ctx, session),
      Messages: messages.map(presentMessage),
      Files: files.map((f) => ({ Id: f.id, Name: verbatim(f.name), ContentType: f.contentType, Size: f.size, Url: downloadPath(f.id) })),
      Context: c && {
        PageUrl: verbatim(c.pageUrl),
        PageTitle: verbatim(c.pageTitle),
        Referrer: verbatim(c.referrer),
        Language: c.language,
        UserAgent: verbatim(c.userAgent),
      },
    });
  }
  return {
    Email: d.email,
    Sessions: sessions,
    Persons: d.persons.map(presentPerson),
    Tickets: d.tickets.map(presentTicket),
    Mail: d.mail.map((m) => ({
      Id: m.id,
      Kind: m.kind,
      RecipientName: m.recipientName,
      RecipientAddress: m.recipientAddress,
      Subject: m.subject,
      Body: m.body,
      Created: m.createdAt,
    })),
  };
}

export const adminEndpoints = [
  defineEndpoint({
    name: 'AuditList',
    path: `${AUDIT}List`,
    summary:
      'The audit trail, newest first: administrative changes (topics, roles, users, tokens, webhooks, presence set for others, deleted sessions, personal-data requests) and failed or throttled log-ins, with who, when, from where, and the changed fields old → new.',
    rights: ADMINS,
    body: RequestBody(
      'AuditList',
      {},
      {
        UserName: Str(255, 'Only what this user did (or, for failed log-ins, the name tried)'),
        Kind: Str(40, `Only this kind: ${AUDIT_KINDS.join(', ')}`),
        Since: DateTime('From this instant on (inclusive)'),
        Until: DateTime('Before this instant'),
        Limit: Int('At most this many entries (1-1000, default 100)'),
      },
    ),
    response: Type.Array(AuditEntrySchema),
    handle: async (ctx, { body }) => {
      const kind = body.Kind?.trim() || undefined;
      if (kind !== undefined && !isAuditKind(kind)) throw badRequest(`Kind: '${kind.slice(0, 40)}' is not one of ${AUDIT_KINDS.join(', ')}`);
      const limit = body.Limit ?? 100;
      if (limit < 1 || limit > 1000) throw badRequest('Limit must lie between 1 and 1000');
      const entries = await listAudit(ctx.deps, ctx.actor, {
        actorName: body.UserName?.trim() || undefined,
        kind,
        since: body.Since ?? undefined,
        until: body.Until ?? undefined,
        limit,
      });
      return entries.map(presentAuditEntry);
    },
  }),
  defineEndpoint({
    name: 'PrivacyExport',
    path: `${PRIVACY}Export`,
    summary:
      'Everything Parley holds about a customer, found by e-mail address: their chat sessions with all messages, the CRM persons and tickets with that address, and the mail sent to them or about their chats. Noted in the audit trail (with a digest of the address).',
    rights: ADMINS,
    body: RequestBody('PrivacyExport', { Email }),
    response: CustomerDataSchema,
    handle: async (ctx, { body }) => presentCustomerData(ctx, await exportCustomerData(ctx.deps, ctx.actor, body.Email)),
  }),
  defineEndpoint({
    name: 'PrivacyErase',
    path: `${PRIVACY}Erase`,
    summary:
      "Erases a customer, found by e-mail address, everywhere: their sessions with messages, events and mail about them are deleted; CRM persons and tickets with the address are anonymised (kept as '(erased)' so records that point at them stay whole). Answers how much went; noted in the audit trail.",
    rights: ADMINS,
    body: RequestBody('PrivacyErase', { Email }),
    response: Type.Object({ Sessions: Int(), Messages: Int(), Persons: Int(), Tickets: Int(), Mail: Int(), Events: Int() }, { $id: 'ParleyErasedCounts' }),
    handle: async (ctx, { body }) => {
      const c = await eraseCustomerData(ctx.deps, ctx.actor, body.Email);
      return { Sessions: c.sessions, Messages: c.messages, Persons: c.persons, Tickets: c.tickets, Mail: c.mail, Events: c.events };
    },
  }),
];
